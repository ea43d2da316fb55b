import { describe, expect, test } from 'vitest'
import { AlertSchema, type Alert } from '@gangwan/contracts'
import { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS, type AlertBook } from '../src/core/create-alert-book.ts'
import type { Signal } from '../src/core/signal.ts'

const T0 = 1_763_800_000_000
const S = 1000
const MIN = 60 * S

function on (at: number, extra: Partial<Extract<Signal, { active: true }>> = {}): Signal {
  return {
    active: true, at, ruleId: 'elevator.fault', subject: 'E-1', device: 'E-1', kind: 'elevator', category: 'elevator',
    severity: 'P3', title: 'Controller fault', source: { type: 'rule', id: 'elevator.fault', version: '1', clause: 'GB/T 24476-2017 §5.2' },
    trigger: { values: { code: 'E30' }, window: { fromMs: at, toMs: at } }, location: { grid: 'G1', building: 'B01', elevator: 'L1' },
    ...extra
  }
}
const off = (at: number): Signal => ({ active: false, at, ruleId: 'elevator.fault', subject: 'E-1' })

function book (preload: Alert[] = []): AlertBook {
  return createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: () => 42 }, preload)
}

describe('alert book', () => {
  test('opens one schema-valid alert with a key from measurement time, and clears it', () => {
    const b = book()
    const [opened] = b.apply(on(T0))
    expect(AlertSchema.parse(opened)).toMatchObject({ key: `elevator.fault|E-1|${T0}`, state: 'open', count: 1, version: 1, openedAt: T0, detectedAt: 42 })
    const [cleared] = b.apply(off(T0 + 10 * S))
    expect(cleared).toMatchObject({ key: opened!.key, state: 'cleared', clearedAt: T0 + 10 * S, version: 2 })
    expect(b.open()).toEqual([])
  })

  test('repeats while open raise no second alert; lastSeenAt goes out at most once a minute', () => {
    const b = book()
    b.apply(on(T0))
    const out = [5, 20, 50, 61, 70, 125].flatMap((s) => b.apply(on(T0 + s * S)))
    expect(out.map((a) => [a.version, a.lastSeenAt])).toEqual([[2, T0 + 61 * S], [3, T0 + 125 * S]])
    expect(new Set(out.map((a) => a.key)).size).toBe(1)
    // a repeat not yet out goes out on a tick a minute later
    b.apply(on(T0 + 130 * S))
    expect(b.tick(T0 + 190 * S)).toMatchObject([{ version: 4, lastSeenAt: T0 + 130 * S }])
  })

  test('debounce: a condition shorter than holdMs opens nothing; one that holds opens at its start', () => {
    const b = book()
    expect(b.apply(on(T0, { holdMs: 5 * S }))).toEqual([])
    expect(b.apply(on(T0 + 2 * S, { holdMs: 5 * S }))).toEqual([])
    expect(b.apply(off(T0 + 3 * S))).toEqual([])
    expect(b.tick(T0 + 60 * S)).toEqual([])
    b.apply(on(T0 + 100 * S, { holdMs: 5 * S }))
    // no further message: the tick opens it once the hold has passed
    expect(b.tick(T0 + 104 * S)).toEqual([])
    expect(b.tick(T0 + 105 * S)).toMatchObject([{ key: `elevator.fault|E-1|${T0 + 100 * S}`, openedAt: T0 + 100 * S }])
  })

  test('a condition back soon after clearing continues the alert; the third opening in an hour is flapping', () => {
    const b = book()
    const first = b.apply(on(T0))[0]!
    b.apply(off(T0 + MIN))
    expect(b.apply(on(T0 + 3 * MIN))).toMatchObject([{ key: first.key, state: 'open', count: 2, flapping: false }])
    b.apply(off(T0 + 4 * MIN))
    expect(b.apply(on(T0 + 6 * MIN))).toMatchObject([{ key: first.key, count: 3, flapping: true }])
    // flapping: a clear is held back until the condition stays clear for 10 minutes
    expect(b.apply(off(T0 + 7 * MIN))).toEqual([])
    expect(b.tick(T0 + 16 * MIN)).toEqual([])
    expect(b.tick(T0 + 17 * MIN)).toMatchObject([{ key: first.key, state: 'cleared' }])
    // long after, the same condition is a new alert
    expect(b.apply(on(T0 + 120 * MIN))).toMatchObject([{ key: `elevator.fault|E-1|${T0 + 120 * MIN}`, count: 1, version: 1 }])
  })

  test('a worse severity goes out at once with what made it worse', () => {
    const b = book()
    b.apply(on(T0))
    expect(b.apply(on(T0 + S, { severity: 'P1', trigger: { values: { code: 'E99' }, window: { fromMs: T0, toMs: T0 + S } } })))
      .toMatchObject([{ severity: 'P1', version: 2, trigger: { values: { code: 'E99' } } }])
    expect(b.apply(on(T0 + 2 * S, { severity: 'P3' }))).toEqual([])
    expect(b.open()[0]!.severity).toBe('P1')
  })

  test('replaying the same signals gives the same keys and versions; a preloaded open alert is continued', () => {
    const run = (b: AlertBook): Alert[] => [on(T0), on(T0 + 2 * MIN), off(T0 + 3 * MIN)].flatMap((s) => b.apply(s))
    const strip = (alerts: Alert[]): unknown[] => alerts.map(({ detectedAt: _d, ...a }) => a)
    expect(strip(run(book()))).toEqual(strip(run(createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: () => 7 }))))

    const stored = book().apply(on(T0))[0]!
    const restarted = book([stored])
    expect(restarted.apply(on(T0 + 5 * MIN))).toMatchObject([{ key: stored.key, version: 2, count: 1 }])
    expect(restarted.apply(off(T0 + 6 * MIN))).toMatchObject([{ key: stored.key, state: 'cleared', version: 3 }])
  })

  test('subjects and rules are independent', () => {
    const b = book()
    b.apply(on(T0))
    b.apply(on(T0, { subject: 'E-2' }))
    b.apply(on(T0, { ruleId: 'elevator.trapped' }))
    expect(b.open().map((a) => a.key).sort()).toEqual([`elevator.fault|E-1|${T0}`, `elevator.fault|E-2|${T0}`, `elevator.trapped|E-1|${T0}`])
  })
})
