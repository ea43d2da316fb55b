/** Tuning of {@link createClockReference}; wall-clock durations in ms. */
export interface ClockReferenceOptions {
  /** The most recently heard sources the reference is the median of. */
  peers: number
  /** Fewer usable peers than this (besides the source judged): no reference yet. */
  minPeers: number
  /** Messages per source its drift rate is measured over. */
  rateSamples: number
  /** Peers not heard for this long (wall clock) are left out: their projection would be poor. */
  maxPeerAgeMs: number
}

export const DEFAULT_CLOCK_REFERENCE_OPTIONS: Readonly<ClockReferenceOptions> = Object.freeze({
  peers: 31, minPeers: 3, rateSamples: 8, maxPeerAgeMs: 120_000
})

/** The community's measurement clock as a function of the hub's wall clock, learned from messages. */
export interface ClockReference {
  /**
   * Records a message of `source` (measurement time `ts`, wall time `recv`) and returns how far
   * its `ts` is from the community clock at `recv` (positive: ahead), judged against the other
   * sources only; undefined while too few peers are known.
   */
  observe: (source: string, ts: number, recv: number) => number | undefined
  /** The community's measurement time at wall time `recv`, once known. */
  at: (recv: number) => number | undefined
}

/** Peers from which a fitted line is reused, and for how many messages. */
const REUSE_MIN_PEERS = 9
const REUSE_MESSAGES = 16

interface Line { rate: number, c0: number, peers: number }

interface Source {
  /** The latest `rateSamples` wall times and offsets (ts − recv), oldest first. */
  recv: number[]
  off: number[]
  /** d(ts − recv)/d(recv) over those samples: 0 in real time, 59 in a 60× replay. */
  rate?: number
}

function median (xs: number[]): number {
  xs.sort((a, b) => a - b)
  const m = xs.length >> 1
  return xs.length % 2 === 1 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2
}

/**
 * Why not compare `ts` with `receivedAt` directly: a simulator replays time-compressed (60×), so
 * measurement time runs 60 times faster than the hub's wall clock and `ts − receivedAt` grows by
 * 59 ms every wall millisecond; and real deliveries carry a transit delay. What is common to every
 * device is the reference: the community clock. It is estimated as a straight line in wall time,
 * `ts − recv ≈ c0 + rate·recv`, from the most recent peers, with medians so that a minority of
 * skewed or backlogged devices cannot move it:
 *
 * - `rate` is the median of each peer's own drift rate, measured over its last `rateSamples`
 *   messages (a device with a constant clock error still has the right rate);
 * - the level is the median of the peers' latest offsets, each projected to `recv` with `rate`.
 *
 * In real time `rate` is ~0 and this is the median of (ts − receivedAt) over recent messages. The
 * resolution is the delivery jitter times the compression (10 ms at 60× is 0.6 s).
 *
 * @example
 * const ref = createClockReference()
 * const skewMs = ref.observe('B01-F12-S01', msg.ts, receivedAt) // undefined until 3 peers are known
 */
export function createClockReference (options: Partial<ClockReferenceOptions> = {}): ClockReference {
  const o = { ...DEFAULT_CLOCK_REFERENCE_OPTIONS, ...options }
  const sources = new Map<string, Source>()
  /** The most recently heard sources, least recent first (a Map keeps insertion order). */
  const recent = new Map<string, Source>()

  /** Offset line `ts − recv = c0 + rate·recv` from the usable peers, with how many there were. */
  function fit (recv: number, maxAgeMs: number, except?: string): Line | undefined {
    const usable: Source[] = []
    for (const [id, src] of recent) {
      if (id !== except && src.rate !== undefined && recv - src.recv[src.recv.length - 1]! <= maxAgeMs) usable.push(src)
    }
    if (usable.length < o.minPeers) return undefined
    const rate = median(usable.map((p) => p.rate!))
    const c0 = median(usable.map((p) => p.off[p.off.length - 1]! - rate * p.recv[p.recv.length - 1]!))
    return { rate, c0, peers: usable.length }
  }

  // Two medians of up to 31 values per message add up on a 14,500-device site; with many peers one
  // more or less (the source judged) hardly moves a median, so the line is reused for a few messages.
  let cached: Line | undefined
  let reuse = 0
  function level (recv: number, except: string): number | undefined {
    let line = reuse-- > 0 ? cached : undefined
    if (line === undefined) {
      line = fit(recv, o.maxPeerAgeMs, except)
      cached = line !== undefined && line.peers >= REUSE_MIN_PEERS ? line : undefined
      reuse = cached ? REUSE_MESSAGES : 0
    }
    return line === undefined ? undefined : line.c0 + line.rate * recv
  }

  function record (source: string, off: number, recv: number): void {
    let src = sources.get(source)
    if (src === undefined) {
      src = { recv: [], off: [] }
      sources.set(source, src)
    }
    src.recv.push(recv)
    src.off.push(off)
    if (src.recv.length > o.rateSamples) {
      src.recv.shift()
      src.off.shift()
    }
    const span = src.recv[src.recv.length - 1]! - src.recv[0]!
    if (span > 0) src.rate = (src.off[src.off.length - 1]! - src.off[0]!) / span
    recent.delete(source)
    recent.set(source, src)
    if (recent.size > o.peers) recent.delete(recent.keys().next().value!)
  }

  return {
    observe (source, ts, recv) {
      const c = level(recv, source)
      record(source, ts - recv, recv)
      return c === undefined ? undefined : ts - recv - c
    },
    at (recv) {
      // Any peer will do here: better an older projection than no time for a last will.
      const line = fit(recv, Infinity)
      return line === undefined ? undefined : recv + line.c0 + line.rate * recv
    }
  }
}
