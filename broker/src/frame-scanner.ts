/** Why a client's byte stream was refused before it reached aedes. */
export interface FrameViolation { reason: 'payload_too_large' | 'malformed_packet', detail: string }

/** Byte limits the scanner enforces. */
export interface FrameLimits {
  /** Largest PUBLISH payload (bytes). */
  maxPayloadBytes: number
  /** Largest remaining length of any other packet (CONNECT with its will, SUBSCRIBE, ...). */
  maxControlPacketBytes: number
}

/** Incremental scanner over one connection's inbound bytes. */
export interface FrameScanner {
  /** Scans the next chunk; the first violation found, then the same one on every later call. */
  scan: (chunk: Buffer) => FrameViolation | null
}

const CONNECT = 1
const PUBLISH = 3
const PUBREL = 6
const SUBSCRIBE = 8
const UNSUBSCRIBE = 10
// Packets only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP), plus the reserved 0 and 15
// (AUTH exists only in MQTT 5).
const NOT_FROM_CLIENT = new Set([0, 2, 9, 11, 13, 15])

type Phase = 'header' | 'length' | 'topicLength' | 'body'

/**
 * Reads only the fixed headers (and a PUBLISH's topic length) of the MQTT 3.1.1 packets on a
 * connection, skipping bodies without copying them, so an oversized or malformed packet is refused
 * from its first bytes instead of after mqtt-packet has buffered up to 256 MiB of it.
 *
 * @example createFrameScanner({ maxPayloadBytes: 65536, maxControlPacketBytes: 69632 }).scan(Buffer.from('GET / HTTP/1.1'))
 * // { reason: 'malformed_packet', detail: 'first packet is not CONNECT' }
 */
export function createFrameScanner (limits: FrameLimits): FrameScanner {
  let phase: Phase = 'header'
  let violation: FrameViolation | null = null
  let seenConnect = false
  let type = 0
  let qos = 0
  let remaining = 0
  let multiplier = 1
  let lengthBytes = 0
  let topicLength = 0
  let topicLengthBytes = 0
  let toSkip = 0

  const fail = (reason: FrameViolation['reason'], detail: string): FrameViolation => (violation = { reason, detail })

  function checkHeader (byte: number): FrameViolation | null {
    type = byte >> 4
    const flags = byte & 0x0f
    if (NOT_FROM_CLIENT.has(type)) return fail('malformed_packet', `packet type ${type} is not sent by clients`)
    if (!seenConnect && type !== CONNECT) return fail('malformed_packet', 'first packet is not CONNECT') // [MQTT-3.1.0-1]
    if (seenConnect && type === CONNECT) return fail('malformed_packet', 'second CONNECT') // [MQTT-3.1.0-2]
    seenConnect = true
    if (type === PUBLISH) {
      qos = (flags >> 1) & 0x03
      if (qos === 3) return fail('malformed_packet', 'PUBLISH with QoS 3') // [MQTT-3.3.1-4]
    } else if (type === PUBREL || type === SUBSCRIBE || type === UNSUBSCRIBE) {
      if (flags !== 0x02) return fail('malformed_packet', `bad flags ${flags} on packet type ${type}`) // [MQTT-3.6.1-1] [MQTT-3.8.1-1] [MQTT-3.10.1-1]
    } else if (flags !== 0) {
      return fail('malformed_packet', `bad flags ${flags} on packet type ${type}`) // [MQTT-2.2.2-2]
    }
    return null
  }

  function endOfLength (): FrameViolation | null {
    toSkip = remaining
    if (type === PUBLISH) {
      if (remaining < 2) return fail('malformed_packet', 'PUBLISH shorter than its topic length')
      topicLength = 0
      topicLengthBytes = 0
      phase = 'topicLength'
      return null
    }
    if (remaining > limits.maxControlPacketBytes) return fail('payload_too_large', `packet type ${type} of ${remaining} bytes`)
    phase = toSkip > 0 ? 'body' : 'header'
    return null
  }

  function endOfTopicLength (): FrameViolation | null {
    // MQTT 3.1.1 §3.3.2: topic length (2) + topic + packet id (2, QoS > 0 only), then the payload.
    const payload = remaining - 2 - topicLength - (qos > 0 ? 2 : 0)
    if (payload < 0) return fail('malformed_packet', 'PUBLISH topic longer than the packet')
    if (payload > limits.maxPayloadBytes) return fail('payload_too_large', `PUBLISH payload of ${payload} bytes`)
    phase = toSkip > 0 ? 'body' : 'header'
    return null
  }

  return {
    scan (chunk) {
      let i = 0
      while (violation === null && i < chunk.length) {
        if (phase === 'body') {
          const n = Math.min(toSkip, chunk.length - i)
          i += n
          toSkip -= n
          if (toSkip === 0) phase = 'header'
          continue
        }
        const byte = chunk[i++] as number
        if (phase === 'header') {
          if (checkHeader(byte) === null) { phase = 'length'; remaining = 0; multiplier = 1; lengthBytes = 0 }
        } else if (phase === 'length') {
          // MQTT 3.1.1 §2.2.3: variable-length integer, 7 bits a byte, at most 4 bytes.
          remaining += (byte & 0x7f) * multiplier
          multiplier *= 128
          lengthBytes++
          if ((byte & 0x80) === 0) endOfLength()
          else if (lengthBytes === 4) fail('malformed_packet', 'remaining length longer than 4 bytes')
        } else {
          topicLength = topicLength * 256 + byte
          topicLengthBytes++
          toSkip--
          if (topicLengthBytes === 2) endOfTopicLength()
        }
      }
      return violation
    }
  }
}
