/** A token bucket: `ratePerS` tokens a second, holding at most `burst`. */
export interface TokenBucket {
  /** Tokens available now (refills first). */
  available: () => number
  take: (n: number) => void
  /** Milliseconds until at least one token is available. */
  waitMs: () => number
}

/**
 * Creates a {@link TokenBucket} on a monotonic clock.
 *
 * @example const b = createTokenBucket(500); const n = b.available(); send(n); b.take(n)
 */
export function createTokenBucket (ratePerS: number, burst = Math.max(1, ratePerS / 10), now: () => number = () => performance.now()): TokenBucket {
  if (!(ratePerS > 0)) throw new RangeError('rate must be positive')
  let tokens = burst
  let last = now()
  const refill = (): void => {
    const t = now()
    tokens = Math.min(burst, tokens + ((t - last) * ratePerS) / 1000)
    last = t
  }
  return {
    available () { refill(); return Math.floor(tokens) },
    take (n) { tokens -= n },
    waitMs () { refill(); return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / ratePerS) }
  }
}
