/**
 * Lanes of the spool, sent in this order. Life safety (fire, elevator, thrown object) and control
 * messages (command acknowledgements, device presence) are never dropped to make room; the
 * normal lane (noise, fume, device heartbeats) gives way, oldest first, when the spool is full.
 */
export const LANES = { lifeSafety: 0, normal: 1 } as const
export type Lane = typeof LANES[keyof typeof LANES]

/** One message waiting for the hub's PUBACK. */
export interface SpoolEntry {
  topic: string
  payload: Buffer
  lane: Lane
  retain: boolean
}

/** A stored entry; `id` grows with every append and is never reused, so it orders the spool. */
export interface SpooledMessage extends SpoolEntry {
  id: number
}

/** What happened to an appended entry once it is durable. */
export type AppendOutcome = 'stored' | 'dropped'

export interface SpoolStats {
  depth: number
  bytes: number
  /** Per lane. */
  depthByLane: [number, number]
  /** Normal-lane readings dropped since start because the spool was full. */
  dropped: number
}

/**
 * The gateway's durable queue between the southbound drivers and the uplink (a pluggable part:
 * every implementation passes `edge-agent/test/spool-contract.ts`).
 *
 * - `append` resolves only once the entry is on disk (or dropped by the full-spool policy), so a
 *   driver acknowledges southbound after it resolves; appends in the same tick share one commit.
 * - `read(lane, afterId, limit)` returns entries of a lane in append order, so replay per device
 *   is in the order the device sent.
 * - `ack(ids)` forgets entries the hub acknowledged; it may be deferred (a crash in between sends
 *   them again, which the hub removes by (device, seq)).
 */
export interface Spool {
  append: (entry: SpoolEntry) => Promise<AppendOutcome>
  read: (lane: Lane, afterId: number, limit: number) => SpooledMessage[]
  ack: (ids: readonly number[]) => void
  stats: () => SpoolStats
  /** Called after each commit that stored something, so a sender can wake up. */
  onAppend: (listener: () => void) => void
  /** Flushes deferred acks and closes the file. */
  close: () => Promise<void>
}
