/** Decides whether a new connection from an address may proceed. */
export interface ConnectionRateLimiter {
  /** Takes one token for `address`; `false` when its bucket is empty. */
  take: (address: string) => boolean
  /** Addresses currently tracked (for tests and metrics). */
  readonly size: number
}

interface Bucket { tokens: number, at: number }

/** Idle buckets are swept at most this often (ms). */
const SWEEP_INTERVAL_MS = 10_000

/**
 * A token bucket per remote address: `perSecond` tokens, refilled continuously at `perSecond`
 * a second, so a burst of `perSecond` connections passes and a sustained rate above it does not;
 * unlike a fixed one-second window it cannot let 2 × `perSecond` through across a window edge.
 * Full buckets are forgotten lazily, so memory follows the addresses active in the last seconds.
 * Hand-written (20 lines) because it runs synchronously in the TCP accept path; the libraries
 * on npm are promise-based.
 *
 * @example const limiter = createConnectionRateLimiter({ perSecond: 200 }); if (!limiter.take(ip)) socket.destroy()
 */
export function createConnectionRateLimiter (opts: { perSecond: number, now?: () => number }): ConnectionRateLimiter {
  const { perSecond } = opts
  const now = opts.now ?? (() => performance.now())
  const buckets = new Map<string, Bucket>()
  let lastSweep = now()

  function sweep (t: number): void {
    lastSweep = t
    for (const [address, b] of buckets) {
      if (b.tokens + ((t - b.at) / 1000) * perSecond >= perSecond) buckets.delete(address)
    }
  }

  return {
    take (address) {
      const t = now()
      if (t - lastSweep >= SWEEP_INTERVAL_MS) sweep(t)
      const b = buckets.get(address)
      if (b === undefined) {
        buckets.set(address, { tokens: perSecond - 1, at: t })
        return true
      }
      b.tokens = Math.min(perSecond, b.tokens + ((t - b.at) / 1000) * perSecond)
      b.at = t
      if (b.tokens < 1) return false
      b.tokens -= 1
      return true
    },
    get size () { return buckets.size }
  }
}
