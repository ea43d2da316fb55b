import { describe, expect, test } from 'vitest'
import { createSeqWindows } from '../src/dedup/create-seq-windows.ts'
import { backoffDelay } from '../src/writer/backoff-delay.ts'
import { ingestConfig } from '../src/index.ts'

describe('seq windows', () => {
  // [description, window size, seqs recorded in order, verdict of each: true = duplicate]
  const table: [string, number, number[], boolean[]][] = [
    ['in-order stream has no duplicates', 32, [1, 2, 3, 4], [false, false, false, false]],
    ['immediate resend', 32, [1, 2, 2], [false, false, true]],
    ['replay of an older seq inside the window', 32, [1, 2, 3, 10, 3, 2], [false, false, false, false, true, true]],
    ['late arrival inside the window is new, its resend is not', 32, [1, 5, 3, 3], [false, false, false, true]],
    ['older than the window: cannot judge, counted as new', 32, [1, 100, 1], [false, false, false]],
    ['a jump larger than the window clears it', 32, [5, 5 + 64, 5 + 64 + 1, 5 + 64], [false, false, false, true]],
    ['slots reused one lap later are not mistaken for duplicates', 32, [0, 1, 32, 33], [false, false, false, false]],
    ['large seqs near 2^53', 64, [2 ** 53 - 10, 2 ** 53 - 9, 2 ** 53 - 10], [false, false, true]]
  ]
  test.each(table)('%s', (_what, size, seqs, verdicts) => {
    const w = createSeqWindows(size)
    expect(seqs.map((s) => w.seen('D', s))).toEqual(verdicts)
  })

  test('keys are independent, and forget() un-records a seq whose commit failed', () => {
    const w = createSeqWindows(32)
    expect([w.seen('A', 7), w.seen('B', 7), w.seen('A', 7)]).toEqual([false, false, true])
    w.forget('A', 7)
    expect(w.seen('A', 7)).toBe(false)
    expect(w.size).toBe(2)
  })
})

describe('config and back-off', () => {
  test('defaults, frozen, coded error naming the bad field', () => {
    const c = ingestConfig({ journalPath: '/tmp/j.db', influx: { url: 'http://127.0.0.1:8086/', database: 'g' } })
    expect(c).toMatchObject({ journalSync: 'full', batchSize: 5000, flushIntervalMs: 100, retry: { minDelayMs: 200, maxDelayMs: 5000 }, influx: { url: 'http://127.0.0.1:8086', version: 1 } })
    expect(Object.isFrozen(c) && Object.isFrozen(c.influx) && Object.isFrozen(c.retry)).toBe(true)
    expect(() => ingestConfig({ journalPath: '/tmp/j.db', influx: { url: 'http://x', database: 'g' }, batchSize: 0 })).toThrow(expect.objectContaining({ code: 'GW_ERR_CONFIG_INVALID', message: expect.stringContaining('batchSize') }))
  })

  test('back-off doubles from the minimum up to the maximum, with jitter in [ceiling/2, ceiling]', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 200, 5000, () => 1))).toEqual([200, 400, 800, 1600, 5000])
    expect(backoffDelay(0, 200, 5000, () => 0)).toBe(100)
  })
})
