/** One packed group, ready to be posted with its three buffers transferred. */
export interface PackedGroup {
  count: number
  bytes: ArrayBuffer
  ends: Uint32Array
  receivedAt: Float64Array
}

/** Packs the messages of one event-loop turn into buffers the worker receives without a copy. */
export interface GroupEncoder {
  add: (topic: string, payload: Buffer, receivedAt: number) => void
  readonly count: number
  /** The packed group; the encoder starts a new one with fresh buffers (the old ones are transferred away). */
  take: () => PackedGroup
}

const MIN_BYTES = 64 * 1024
const MIN_MESSAGES = 256

/**
 * Copies each message's topic (UTF-8) and payload into one growing ArrayBuffer, with the end
 * offsets and arrival times in typed arrays. A structured clone of the payload Buffers themselves
 * would copy each one's whole backing store (a socket read chunk or an 8 KiB pool slab); one
 * memcpy per payload and a transfer is what a message costs here. Buffers start at the size of the
 * previous group, so a steady load allocates three buffers per group and never regrows.
 *
 * @example const e = createGroupEncoder(); e.add(topic, payload, Date.now()); port.postMessage(e.take())
 */
export function createGroupEncoder (): GroupEncoder {
  let bytes = Buffer.allocUnsafeSlow(MIN_BYTES)
  let ends = new Uint32Array(MIN_MESSAGES * 2)
  let receivedAt = new Float64Array(MIN_MESSAGES)
  let off = 0
  let count = 0

  function growBytes (need: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(bytes.length * 2, off + need))
    bytes.copy(next, 0, 0, off)
    bytes = next
  }

  function growMessages (): void {
    const e = new Uint32Array(ends.length * 2)
    e.set(ends)
    ends = e
    const r = new Float64Array(receivedAt.length * 2)
    r.set(receivedAt)
    receivedAt = r
  }

  return {
    add (topic, payload, at) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      const need = topic.length * 3 + payload.length
      if (off + need > bytes.length) growBytes(need)
      if (count === receivedAt.length) growMessages()
      off += bytes.write(topic, off, 'utf8')
      ends[count * 2] = off
      off += payload.copy(bytes, off)
      ends[count * 2 + 1] = off
      receivedAt[count] = at
      count++
    },
    get count () { return count },
    take () {
      const group: PackedGroup = { count, bytes: bytes.buffer, ends, receivedAt }
      bytes = Buffer.allocUnsafeSlow(Math.max(MIN_BYTES, off))
      ends = new Uint32Array(Math.max(MIN_MESSAGES, count) * 2)
      receivedAt = new Float64Array(Math.max(MIN_MESSAGES, count))
      off = 0
      count = 0
      return group
    }
  }
}
