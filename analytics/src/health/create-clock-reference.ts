/** Tuning of {@link createClockReference}; wall-clock durations in ms. */
export interface ClockReferenceOptions {
  /** The most recently heard sources the reference is the median of. */
  peers: number
  /** Fewer usable peers than this (besides the source judged): no reference yet. */
  minPeers: number
  /** Messages per source its drift rate is measured over. */
  rateSamples: number
  /**
   * Peers not heard for this long are left out: their projection would be poor. Measurement time:
   * a projection errs by its rate's error (delivery jitter over the rate's span, which scales with
   * the replay's speed) times its age, so the wall-clock age allowed is this ÷ the latest slope.
   */
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
  /**
   * How fast measurement time runs against the hub's wall clock (measurement ms per wall ms): 1 in
   * real time, 600 in a 600× replay; undefined until a line has been fitted. The rate of the
   * latest fit, so it costs nothing.
   */
  slope: () => number | undefined
}

/** Peers from which a fitted line is reused, and for how many messages. */
const REUSE_MIN_PEERS = 9
const REUSE_MESSAGES = 16

interface Line { rate: number, c0: number, peers: number }

interface Source {
  id: string
  /** The latest `rateSamples` wall times and offsets (ts − recv), a ring from `head`, `n` of them. */
  recv: Float64Array
  off: Float64Array
  head: number
  n: number
  lastRecv: number
  lastOff: number
  /** d(ts − recv)/d(recv) over those samples: 0 in real time, 59 in a 60× replay. */
  rate?: number
  /** Neighbours in the list of recent sources (least recent first), while in it. */
  older?: Source
  newer?: Source
  recent: boolean
}

/** The median of `xs[0..n)`, insertion-sorting them in place (n ≤ `peers`, 31 by default: faster than any library sort). */
function median (xs: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const v = xs[i]!
    let j = i - 1
    while (j >= 0 && xs[j]! > v) { xs[j + 1] = xs[j]!; j-- }
    xs[j + 1] = v
  }
  const m = n >> 1
  return n % 2 === 1 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2
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
  // The most recently heard sources as a list, least recent first: moving a source to the end is
  // O(1) without allocating, which matters since every message moves one.
  let oldest: Source | undefined
  let newest: Source | undefined
  let recentCount = 0
  // Scratch for the medians, reused by every fit.
  const rates = new Float64Array(o.peers)
  const levels = new Float64Array(o.peers)
  const usable: Source[] = []

  /** Offset line `ts − recv = c0 + rate·recv` from the usable peers, with how many there were. */
  function fit (recv: number, maxAgeMs: number, except?: string): Line | undefined {
    usable.length = 0
    for (let src = oldest; src !== undefined; src = src.newer) {
      if (src.id !== except && src.rate !== undefined && recv - src.lastRecv <= maxAgeMs) usable.push(src)
    }
    const n = usable.length
    if (n < o.minPeers) return undefined
    for (let i = 0; i < n; i++) rates[i] = usable[i]!.rate!
    const rate = median(rates, n)
    for (let i = 0; i < n; i++) levels[i] = usable[i]!.lastOff - rate * usable[i]!.lastRecv
    const c0 = median(levels, n)
    return { rate, c0, peers: n }
  }

  // Two medians of up to 31 values per message add up on a 14,500-device site; with many peers one
  // more or less (the source judged) hardly moves a median, so the line is reused for a few messages.
  let cached: Line | undefined
  let reuse = 0
  let latestRate: number | undefined
  function level (recv: number, except: string): number | undefined {
    let line = reuse-- > 0 ? cached : undefined
    if (line === undefined) {
      line = fit(recv, o.maxPeerAgeMs / Math.max(1, 1 + (latestRate ?? 0)), except)
      if (line !== undefined) latestRate = line.rate
      cached = line !== undefined && line.peers >= REUSE_MIN_PEERS ? line : undefined
      reuse = cached ? REUSE_MESSAGES : 0
    }
    return line === undefined ? undefined : line.c0 + line.rate * recv
  }

  function unlink (src: Source): void {
    if (src.older !== undefined) src.older.newer = src.newer
    else oldest = src.newer
    if (src.newer !== undefined) src.newer.older = src.older
    else newest = src.older
    src.older = undefined
    src.newer = undefined
    src.recent = false
    recentCount--
  }

  function record (source: string, off: number, recv: number): void {
    let src = sources.get(source)
    if (src === undefined) {
      src = { id: source, recv: new Float64Array(o.rateSamples), off: new Float64Array(o.rateSamples), head: 0, n: 0, lastRecv: 0, lastOff: 0, recent: false }
      sources.set(source, src)
    }
    // Keep the latest `rateSamples`: the oldest is overwritten once the ring is full.
    const r = o.rateSamples
    let at = src.head + src.n
    if (src.n < r) src.n++
    else src.head = (src.head + 1) % r
    at %= r
    src.recv[at] = recv
    src.off[at] = off
    src.lastRecv = recv
    src.lastOff = off
    const span = recv - src.recv[src.head]!
    if (span > 0) src.rate = (off - src.off[src.head]!) / span
    if (src.recent) unlink(src)
    src.older = newest
    if (newest !== undefined) newest.newer = src
    else oldest = src
    newest = src
    src.recent = true
    recentCount++
    if (recentCount > o.peers) unlink(oldest!)
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
    },
    // ts − recv grows by `rate` per wall ms, so ts grows by 1 + rate.
    slope: () => latestRate === undefined ? undefined : 1 + latestRate
  }
}
