/**
 * Statistics of one reading over a window, shared by the kinds' feature sets. Values come in the
 * instrument's units and leave divided by a physical `scale` (a threshold, a limit, a span) so a
 * feature means the same at every site; heavy-tailed ones are log-compressed.
 */

/** The names of {@link seriesStats}' outputs, in order, with what each means. */
export const SERIES_STATS = [
  ['level', 'mean ÷ scale (after subtracting `offset`)'],
  ['slope', 'least-squares slope per hour ÷ scale'],
  ['noise', 'log10(residual sd about the fitted line ÷ scale + 1e-4)'],
  ['curve', 'quadratic term over the window (τ² on τ ∈ [−1, 1]) ÷ scale: > 0 accelerating rise'],
  ['repeats', 'fraction of consecutive readings exactly equal'],
  ['run', 'longest run of identical readings ÷ window length'],
  ['spike', 'log1p(max |x − median| ÷ (1.4826·MAD + 1 % of scale))'],
  ['zeros', 'fraction of readings exactly 0'],
  ['jump', 'log1p(max |Δx| between consecutive readings ÷ scale)']
] as const

/** Number of values {@link seriesStats} writes. */
export const SERIES_STATS_COUNT = SERIES_STATS.length

/** Feature names for one reading, e.g. `smoke.level`. */
export function seriesNames (prefix: string, what: string): [string, string][] {
  return SERIES_STATS.map(([n, d]) => [`${prefix}.${n}`, `${what}: ${d}`])
}

/** Scratch for medians and deviations, grown as needed: extraction is synchronous, so one serves all. */
let sorted = new Float64Array(64)
let deviations = new Float64Array(64)

/**
 * The median of `xs[0..n)` (copied, not sorted in place). Windows are short (30–120 readings), so
 * the copy is insertion-sorted: twice as fast as a typed-array sort there and far faster than
 * `Array.prototype.sort` with a comparator; the median's value is the same whichever sort.
 */
export function median (xs: ArrayLike<number>, n = xs.length): number {
  if (n === 0) return 0
  if (sorted.length < n) sorted = new Float64Array(Math.max(n, sorted.length * 2))
  const s = sorted
  if (n <= 128) {
    for (let i = 0; i < n; i++) {
      const v = xs[i]!
      let j = i - 1
      while (j >= 0 && s[j]! > v) { s[j + 1] = s[j]!; j-- }
      s[j + 1] = v
    }
  } else {
    for (let i = 0; i < n; i++) s[i] = xs[i]!
    s.subarray(0, n).sort()
  }
  const m = n >> 1
  return n % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/**
 * Writes the {@link SERIES_STATS} of `xs[0..n)` measured at `ts[0..n)` (epoch ms) into `out` from
 * `at`. An empty series (a heat detector's smoke) writes zeros.
 *
 * @example seriesStats(smoke, ts, 0.05, 0, out, 1) // writes out[1..9]
 */
export function seriesStats (xs: ArrayLike<number>, ts: ArrayLike<number>, scale: number, offset: number, out: Float32Array, at: number, n = xs.length): void {
  if (n === 0) { out.fill(0, at, at + SERIES_STATS_COUNT); return }
  const t0 = ts[0]!
  const span = Math.max(1, ts[n - 1]! - t0)
  let mx = 0; let mh = 0
  for (let i = 0; i < n; i++) { mx += xs[i]!; mh += (ts[i]! - t0) / 3_600_000 }
  mx /= n; mh /= n
  let sxy = 0; let sxx = 0
  for (let i = 0; i < n; i++) {
    const h = (ts[i]! - t0) / 3_600_000 - mh
    sxy += h * (xs[i]! - mx); sxx += h * h
  }
  const slope = sxx > 0 ? sxy / sxx : 0
  let res = 0; let p2x = 0; let p2p2 = 0
  for (let i = 0; i < n; i++) {
    const h = (ts[i]! - t0) / 3_600_000 - mh
    const r = xs[i]! - mx - slope * h
    res += r * r
    // Legendre P2 on τ ∈ [−1, 1] is (close to) orthogonal to the line already fitted.
    const tau = (2 * (ts[i]! - t0)) / span - 1
    const p2 = 1.5 * tau * tau - 0.5
    p2x += p2 * r; p2p2 += p2 * p2
  }
  let repeats = 0; let run = 1; let longest = 1; let zeros = 0; let jump = 0
  for (let i = 0; i < n; i++) {
    if (xs[i] === 0) zeros++
    if (i === 0) continue
    const d = Math.abs(xs[i]! - xs[i - 1]!)
    if (d > jump) jump = d
    if (d === 0) { repeats++; run++; if (run > longest) longest = run } else run = 1
  }
  const med = median(xs, n)
  if (deviations.length < n) deviations = new Float64Array(Math.max(n, deviations.length * 2))
  for (let i = 0; i < n; i++) deviations[i] = Math.abs(xs[i]! - med)
  const mad = 1.4826 * median(deviations, n) + 0.01 * scale
  let spike = 0
  for (let i = 0; i < n; i++) spike = Math.max(spike, Math.abs(xs[i]! - med) / mad)
  out[at] = (mx - offset) / scale
  out[at + 1] = slope / scale
  out[at + 2] = Math.log10(Math.sqrt(res / n) / scale + 1e-4)
  out[at + 3] = p2p2 > 0 ? p2x / p2p2 / scale : 0
  out[at + 4] = n > 1 ? repeats / (n - 1) : 0
  out[at + 5] = longest / n
  out[at + 6] = Math.log1p(spike)
  out[at + 7] = zeros / n
  out[at + 8] = Math.log1p(jump / scale)
}

/**
 * Writes the loss features of a window: the fraction of sequence numbers missing between its first
 * and last message (lost on the way or never sent), and log2 of the longest gap between two
 * messages in units of the expected interval (0 when none is longer).
 *
 * @example lossStats(msgs, 60_000, out, 19) // writes out[19], out[20]
 */
export function lossStats (msgs: readonly { seq: number, ts: number }[], intervalMs: number, out: Float32Array, at: number): void {
  const n = msgs.length
  const spanSeq = n > 0 ? msgs[n - 1]!.seq - msgs[0]!.seq + 1 : 1
  let gap = 0
  for (let i = 1; i < n; i++) gap = Math.max(gap, msgs[i]!.ts - msgs[i - 1]!.ts)
  out[at] = spanSeq > 0 ? Math.max(0, 1 - n / spanSeq) : 0
  out[at + 1] = Math.log2(Math.max(1, gap / intervalMs))
}

/** Names of {@link lossStats}' outputs. */
export const LOSS_NAMES: [string, string][] = [
  ['loss', 'fraction of seq numbers missing inside the window'],
  ['gap', 'log2(longest gap between messages ÷ expected report interval), ≥ 0']
]

/** Replaces non-finite values by 0 and clips to ±50 so one broken reading cannot swamp the net. */
export function sanitize (out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!
    out[i] = Number.isFinite(v) ? Math.max(-50, Math.min(50, v)) : 0
  }
  return out
}
