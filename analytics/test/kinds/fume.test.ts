import { describe, expect, test } from 'vitest'
import pino from 'pino'
import { AlertSchema, CommunitySchema, FumeTelemetrySchema, type CommunityInput, type FumeTelemetry } from '@gangwan/contracts'
import { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS } from '../../src/core/create-alert-book.ts'
import { createCommunityContext } from '../../src/core/create-community-context.ts'
import type { DeviceContext } from '../../src/core/context.ts'
import type { Signal } from '../../src/core/signal.ts'
import { createFumeAnalyzer, fumeAnalytics, type FumeAnalyzer } from '../../src/kinds/fume/index.ts'

const MIN = 60_000
/** Epoch ms of a local time in Asia/Shanghai (UTC+8, no daylight saving): 2025-11-22 by default. */
const local = (hh: number, mm: number, day = 22): number => Date.UTC(2025, 10, day, hh, mm) - 8 * 3_600_000

function community (analytics: CommunityInput['analytics'] = {}): CommunityInput {
  return {
    schemaVersion: 1, id: 'HGY-T', name: 'Test', timezone: 'Asia/Shanghai', analytics,
    grids: [{ id: 'G01', name: 'Grid 1', zoneClass: '2' }],
    buildings: [{ id: 'B07', name: 'Shops', grid: 'G01', floors: 3, facades: [{ id: 'E', orientation: 'E', widthM: 25 }], position: { x: 0, y: 0 }, footprint: { widthM: 25, depthM: 25 } }],
    restaurants: [
      // A local 1.0 mg/m³ limit (DB11/1488-2018 style) and lunch and dinner services.
      { id: 'R01', name: 'Noodle house', building: 'B07', cookingHeads: 4, fumeLimitMgM3: 1.0, openingHours: [{ open: '10:30', close: '14:00' }, { open: '17:00', close: '22:30' }] },
      // GB 18483-2001's 2.0 by default; a night market stall open past midnight.
      { id: 'R02', name: 'Night grill', building: 'B07', cookingHeads: 2, openingHours: [{ open: '18:00', close: '02:00' }] }
    ],
    devices: [
      { id: 'R01-FM', kind: 'fume', building: 'B07', restaurant: 'R01' },
      { id: 'R02-FM', kind: 'fume', building: 'B07', restaurant: 'R02' }
    ]
  }
}

function analyzer (device: 'R01-FM' | 'R02-FM', analytics: CommunityInput['analytics'] = {}): FumeAnalyzer {
  const ctx = createCommunityContext(CommunitySchema.parse(community(analytics)), pino({ level: 'silent' }))
  return createFumeAnalyzer(ctx.device(device) as DeviceContext<'fume'>)
}

let seq = 0
function sample (ts: number, m: Partial<FumeTelemetry> = {}): FumeTelemetry {
  return FumeTelemetrySchema.parse({
    kind: 'fume', seq: seq++, ts, fumeMgM3: 0.4, particulateMgM3: 0.9, nmhcMgM3: 2.1,
    fanCurrentA: 4.4, fanOn: true, purifierCurrentA: 1.2, purifierOn: true, ...m
  })
}

/** Feeds one sample a minute from `start`; returns each signal as [rule, on/off, minute index]. */
function run (a: FumeAnalyzer, start: number, samples: Partial<FumeTelemetry>[]): [string, boolean, number][] {
  return samples.flatMap((m, i) => a.observe(sample(start + i * MIN, m)).map((s): [string, boolean, number] => [s.ruleId, s.active, i]))
}
const fume = (...values: number[]): Partial<FumeTelemetry>[] => values.map((fumeMgM3) => ({ fumeMgM3 }))
const of = (rule: string, signals: [string, boolean, number][]): [boolean, number][] => signals.filter(([r]) => r === rule).map(([, on, i]) => [on, i])

describe('fume.exceedance (GB 18483-2001 Table 2, sustained)', () => {
  test.each<[string, 'R01-FM' | 'R02-FM', number[], [boolean, number][]]>([
    ['a single spike is not an exceedance', 'R02-FM', [0.5, 6.0, 0.5, 0.5, 0.5, 0.5], []],
    ['four samples over are not yet sustained', 'R02-FM', [2.5, 2.5, 2.5, 2.5, 1.0], []],
    ['five in a row raise at the fifth', 'R02-FM', [1.0, 2.1, 2.2, 2.3, 2.4, 2.5], [[true, 5]]],
    ['a reading equal to the limit complies', 'R02-FM', [2.0, 2.0, 2.0, 2.0, 2.0, 2.0], []],
    ['the restaurant\'s own limit applies (1.0 here)', 'R01-FM', [1.5, 1.5, 1.5, 1.5, 1.5], [[true, 4]]],
    ['…which the 2.0 site does not breach', 'R02-FM', [1.5, 1.5, 1.5, 1.5, 1.5], []],
    ['clears after five in a row under, a spike restarts the count', 'R02-FM',
      [3, 3, 3, 3, 3, 1, 1, 3, 1, 1, 1, 1, 1], [[true, 4], [false, 12]]]
  ])('%s', (_, device, values, expected) => {
    expect(of('fume.exceedance', run(analyzer(device), local(12, 0), fume(...values)))).toEqual(expected)
  })

  test('the alert explains itself and parses as an Alert', () => {
    const a = analyzer('R01-FM')
    const signals = [1.2, 1.4, 1.9, 1.3, 1.1].flatMap((f, i) => a.observe(sample(local(12, i), { fumeMgM3: f })))
    const book = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: () => 0 })
    const [alert] = signals.flatMap((s) => book.apply(s)).map((x) => AlertSchema.parse(x))
    expect(alert).toMatchObject({
      ruleId: 'fume.exceedance', subject: 'R01-FM', category: 'fume', severity: 'P3',
      source: { clause: expect.stringContaining('GB 18483-2001') },
      location: { grid: 'G01', building: 'B07', restaurant: 'R01' },
      trigger: { values: { fumeMgM3: 1.1, peakMgM3: 1.9, limitMgM3: 1.0, samples: 5 }, window: { fromMs: local(12, 0), toMs: local(12, 4) } }
    })
  })
})

describe('fume.illegal-discharge (fan on, purifier off, in opening hours)', () => {
  const bypass = { fanOn: true, purifierOn: false, purifierCurrentA: 0 }
  const ok = { fanOn: true, purifierOn: true }
  test.each<[string, 'R01-FM' | 'R02-FM', [number, number], Partial<FumeTelemetry>[], [boolean, number][]]>([
    ['three samples at lunch raise', 'R01-FM', [12, 0], [bypass, bypass, bypass], [[true, 2]]],
    ['two are not enough', 'R01-FM', [12, 0], [bypass, bypass, ok, bypass, bypass], []],
    ['between services (15:00) it does not count', 'R01-FM', [15, 0], [bypass, bypass, bypass, bypass, bypass], []],
    ['before opening it does not count: the run starts at 10:30', 'R01-FM', [10, 27], [bypass, bypass, bypass, bypass, bypass, bypass], [[true, 5]]],
    ['fan off with purifier off is not a discharge', 'R01-FM', [12, 0], [{ fanOn: false, purifierOn: false }, { fanOn: false, purifierOn: false }, { fanOn: false, purifierOn: false }], []],
    ['opening hours past midnight (18:00–02:00) count at 01:00', 'R02-FM', [1, 0], [bypass, bypass, bypass], [[true, 2]]],
    ['…and not at 03:00', 'R02-FM', [3, 0], [bypass, bypass, bypass], []],
    ['clears after three samples with the purifier back on', 'R01-FM', [12, 0], [bypass, bypass, bypass, ok, ok, bypass, ok, ok, ok], [[true, 2], [false, 8]]],
    ['closing time clears it like a fixed fault would', 'R01-FM', [13, 57], [bypass, bypass, bypass, bypass, bypass, bypass], [[true, 2], [false, 5]]]
  ])('%s', (_, device, [hh, mm], samples, expected) => {
    expect(of('fume.illegal-discharge', run(analyzer(device), local(hh, mm), samples))).toEqual(expected)
  })
})

describe('fume.purifier-uptime (per local day)', () => {
  /** Lunch 10:00–14:00, one sample a minute, purifier off for `offMinutes` from 11:40. */
  function lunch (a: FumeAnalyzer, day: number, offMinutes: number): Signal[] {
    const out: Signal[] = []
    for (let k = 0; k <= 240; k++) {
      const purifierOn = !(k >= 100 && k < 100 + offMinutes)
      out.push(...a.observe(sample(local(10, k, day), { fanOn: k < 240, purifierOn: k < 240 && purifierOn, fumeMgM3: 0.3 + (k % 7) / 100 })))
    }
    return out
  }

  test('the ratio is purifier-on ÷ fan-on time, judged once the day is over', () => {
    const a = analyzer('R01-FM')
    const during = lunch(a, 22, 40).filter((s) => s.ruleId === 'fume.purifier-uptime')
    expect(during).toEqual([])
    expect(a.uptime()).toEqual([{ day: '2025-11-22', fromMs: local(0, 0), toMs: local(0, 0, 23), fanOnMs: 240 * MIN, purifierOnMs: 200 * MIN, ratio: 200 / 240, final: false }])
    // Midnight passes on the measurement clock; the day is judged once a sample could no longer belong to it.
    expect(a.tick!(local(0, 4, 23))).toEqual([])
    const [raised] = a.tick!(local(0, 5, 23))
    expect(raised).toMatchObject({
      active: true, at: local(0, 0, 23), ruleId: 'fume.purifier-uptime', severity: 'P4', category: 'fume',
      trigger: { values: { day: '2025-11-22', uptime: 0.833, minUptime: 0.9, fanOnMin: 240, purifierOnMin: 200 }, window: { fromMs: local(0, 0), toMs: local(0, 0, 23) } }
    })
    expect(a.uptime()[0]!.final).toBe(true)
    // A good day clears it at its end; the next day's first sample judges it.
    expect(lunch(a, 23, 10).filter((s) => s.ruleId === 'fume.purifier-uptime')).toEqual([])
    expect(a.observe(sample(local(9, 0, 24), { fanOn: false, purifierOn: false }))).toEqual([{ active: false, at: local(0, 0, 24), ruleId: 'fume.purifier-uptime', subject: 'R01-FM' }])
    expect(a.uptime().map((d) => [d.day, d.ratio])).toEqual([['2025-11-22', 200 / 240], ['2025-11-23', 230 / 240], ['2025-11-24', null]])
  })

  test('days split at local midnight, not UTC; gaps over maxSampleGapMs count as neither', () => {
    const a = analyzer('R02-FM')
    // 23:50 → 00:10 local, fan and purifier on, then a 20-minute hole, then 10 more minutes.
    for (let k = 0; k <= 20; k++) a.observe(sample(local(23, 50 + k, 22)))
    for (let k = 40; k <= 50; k++) a.observe(sample(local(23, 50 + k, 22), { purifierOn: false }))
    expect(a.uptime().map((d) => [d.day, d.fanOnMs / MIN, d.purifierOnMs / MIN])).toEqual([['2025-11-22', 10, 10], ['2025-11-23', 20, 10]])
  })

  test('a day with less fan time than minFanOnMs is not judged', () => {
    const a = analyzer('R01-FM', { fume: { minFanOnMs: 300 * MIN } })
    lunch(a, 22, 120)
    expect(a.tick!(local(12, 0, 23))).toEqual([])
  })
})

describe('probe health (device_health)', () => {
  test.each<[string, Partial<FumeTelemetry>[], [string, boolean, number][]]>([
    ['30 identical readings with the fan on flat-line', fume(...Array(30).fill(0.512)), [['fume.probe-flat', true, 29]]],
    ['29 do not', fume(...Array(29).fill(0.512)), []],
    ['fan-off samples neither extend nor break the run', [
      ...fume(...Array(20).fill(0.5)), ...Array(5).fill({ fanOn: false, purifierOn: false, fumeMgM3: 0.01 }), ...fume(...Array(10).fill(0.5))
    ], [['fume.probe-flat', true, 34]]],
    ['a moving reading clears it', [...fume(...Array(30).fill(0.5)), ...fume(0.5, 0.503)], [['fume.probe-flat', true, 29], ['fume.probe-flat', false, 31]]],
    ['an implausible reading raises at once, five plausible clear', fume(0.4, 180, 0.4, 0.41, 0.42, 0.43, 0.44),
      [['fume.probe-implausible', true, 1], ['fume.probe-implausible', false, 6]]]
  ])('%s', (_, samples, expected) => {
    const signals = run(analyzer('R02-FM'), local(19, 0), samples).filter(([r]) => r.startsWith('fume.probe'))
    expect(signals).toEqual(expected)
  })
})

test('fumeAnalytics lists its rules, each citing a clause', () => {
  expect(fumeAnalytics.kind).toBe('fume')
  expect(fumeAnalytics.rules.map((r) => r.id)).toEqual(['fume.exceedance', 'fume.illegal-discharge', 'fume.purifier-uptime', 'fume.probe-flat', 'fume.probe-implausible'])
  for (const r of fumeAnalytics.rules) expect(r.clause.length).toBeGreaterThan(10)
})
