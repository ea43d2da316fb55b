import { describe, expect, it } from 'vitest'
import { createConnectionRateLimiter } from '../src/connection-rate-limiter.ts'

describe('connection rate limiter', () => {
  it('passes a burst of perSecond, then refills at perSecond a second, per address', () => {
    let t = 0
    const limiter = createConnectionRateLimiter({ perSecond: 4, now: () => t })
    expect([1, 2, 3, 4, 5].map(() => limiter.take('10.0.0.1'))).toEqual([true, true, true, true, false])
    expect(limiter.take('10.0.0.2')).toBe(true)
    t = 250 // one token back
    expect(limiter.take('10.0.0.1')).toBe(true)
    expect(limiter.take('10.0.0.1')).toBe(false)
    t = 10_000
    expect([1, 2, 3, 4, 5].map(() => limiter.take('10.0.0.1'))).toEqual([true, true, true, true, false])
  })

  it('cannot be gamed across a window edge: a steady rate above the limit is refused', () => {
    let t = 0
    const limiter = createConnectionRateLimiter({ perSecond: 10, now: () => t })
    let passed = 0
    for (; t < 2000; t += 20) if (limiter.take('a')) passed++ // 50/s for 2 s
    expect(passed).toBeLessThanOrEqual(10 + 20)
  })

  it('forgets addresses whose bucket is full again', () => {
    let t = 0
    const limiter = createConnectionRateLimiter({ perSecond: 2, now: () => t })
    for (let i = 0; i < 100; i++) limiter.take(`10.0.0.${i}`)
    expect(limiter.size).toBe(100)
    t = 20_000
    limiter.take('10.0.1.1')
    expect(limiter.size).toBe(1)
  })
})
