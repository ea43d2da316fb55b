/**
 * Lanes of the spool, sent in this order:
 * - `alarm`: readings that report an emergency (a fire alarm or pressed call point, a thrown
 *   object, a lift out of normal service or reporting faults) and command answers: they overtake
 *   any backlog (火警优先), even the same device's routine readings;
 * - `lifeSafety`: routine readings of fire, elevator and thrown-object devices, and device presence;
 * - `normal`: noise, fume, device heartbeats.
 * Only the normal lane gives way, oldest first, when the spool is full.
 */
export const LANES = { alarm: 0, lifeSafety: 1, normal: 2 } as const
/** Every lane, in sending order. */
export const LANE_ORDER: readonly Lane[] = [LANES.alarm, LANES.lifeSafety, LANES.normal]
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
  /** Per lane, indexed by lane. */
  depthByLane: [number, number, number]
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
