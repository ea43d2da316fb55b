import { describe, expect, test } from 'vitest'
import pino from 'pino'
import { AlertSchema, CommunitySchema, NoiseTelemetrySchema, type CommunityInput, type NoiseTelemetry } from '@gangwan/contracts'
import { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS } from '../../src/core/create-alert-book.ts'
import { createCommunityContext } from '../../src/core/create-community-context.ts'
import type { DeviceContext } from '../../src/core/context.ts'
import type { DeviceAnalyzer } from '../../src/core/kind-analytics.ts'
import type { Signal } from '../../src/core/signal.ts'
import { createNoiseAnalyzer, leq, noiseAnalytics, zoneClassOf } from '../../src/kinds/noise/index.ts'

const MIN = 60_000
/** Epoch ms of a local time in Asia/Shanghai (UTC+8): 2025-11-22 by default. */
const local = (hh: number, mm: number, day = 22): number => Date.UTC(2025, 10, day, hh, mm) - 8 * 3_600_000

function community (extra: Partial<CommunityInput> = {}): CommunityInput {
  return {
    schemaVersion: 1, id: 'HGY-T', name: 'Test', timezone: 'Asia/Shanghai',
    grids: [{ id: 'G01', name: 'Homes', zoneClass: '1' }],
    buildings: [{ id: 'B03', name: 'Tower 3', grid: 'G01', floors: 33, facades: [{ id: 'S', orientation: 'S', widthM: 60 }], position: { x: 0, y: 0 }, footprint: { widthM: 60, depthM: 18 } }],
    devices: [
      { id: 'N-1', kind: 'noise', building: 'B03' },
      // A meter on the road-side façade, judged as class 4a although its grid is residential.
      { id: 'N-ROAD', kind: 'noise', building: 'B03', zoneClass: '4a' }
    ],
    ...extra
  }
}

function contextOf (device = 'N-1', extra: Partial<CommunityInput> = {}): DeviceContext<'noise'> {
  const ctx = createCommunityContext(CommunitySchema.parse(community(extra)), pino({ level: 'silent' }))
  return ctx.device(device) as DeviceContext<'noise'>
}

let seq = 0
/** One valid minute ending at `ts` with the given leq and lmax. */
function minute (ts: number, leqDb: number, m: Partial<NoiseTelemetry> = {}): NoiseTelemetry {
  const lmax = m.lmax ?? leqDb + 6
  return NoiseTelemetrySchema.parse({
    kind: 'noise', seq: seq++, ts, intervalS: 60, leq: leqDb, lmax, lmin: leqDb - 8, l10: leqDb + 2, l50: leqDb - 1, l90: leqDb - 6, valid: true, ...m
  })
}

/** Feeds minutes ending at start + 1 min, + 2 min, …; returns every signal. */
function feed (a: DeviceAnalyzer<'noise'>, start: number, levels: (number | Partial<NoiseTelemetry> & { leq: number })[]): Signal[] {
  return levels.flatMap((l, i) => {
    const m = typeof l === 'number' ? { leq: l } : l
    return a.observe(minute(start + (i + 1) * MIN, m.leq, m))
  })
}
const leqSignals = (signals: Signal[]): Signal[] => signals.filter((s) => s.ruleId === 'noise.leq')

describe('Leq arithmetic (GB 3096-2008 Annex C)', () => {
  // Independently: back to mean-square sound pressure in Pa², average, and 20·lg(p_rms / 20 µPa).
  const viaPressure = (levels: number[]): number => {
    const p0 = 20e-6
    const meanSquare = levels.reduce((s, l) => s + p0 * p0 * 10 ** (l / 10), 0) / levels.length
    return 20 * Math.log10(Math.sqrt(meanSquare) / p0)
  }
  test.each([
    [[70, 70, 70], 70],
    [[60, 50], 57.4],
    [[80, ...Array(59).fill(40)], 62.2],
    [[55.3, 48.1, 61.9, 44.4, 52.0, 58.8], 56.8]
  ])('%j → %f dB', (levels, expected) => {
    expect(leq(levels)).toBeCloseTo(expected, 1)
    expect(leq(levels)).toBeCloseTo(viaPressure(levels), 9)
  })
})

describe('noise.leq', () => {
  test('a day hour over the class 1 limit raises at the hour\'s end with its explanation', () => {
    const a = createNoiseAnalyzer(contextOf())
    const levels = Array.from({ length: 60 }, (_, i) => 50 + (i % 10))
    const out = leqSignals([...feed(a, local(9, 0), levels), ...feed(a, local(10, 0), [50])])
    const expected = 10 * Math.log10(levels.reduce((s, l) => s + 10 ** (l / 10), 0) / 60)
    expect(expected).toBeGreaterThan(55)
    const book = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: () => 0 })
    const [alert] = out.flatMap((s) => book.apply(s)).map((x) => AlertSchema.parse(x))
    expect(alert).toMatchObject({
      ruleId: 'noise.leq', subject: 'N-1', category: 'noise', severity: 'P4', openedAt: local(10, 0),
      location: { grid: 'G01', building: 'B03' },
      trigger: { values: { leq: Math.round(expected * 10) / 10, limit: 55, class: '1', period: 'day', samples: 60, invalidSamples: 0 }, window: { fromMs: local(9, 0), toMs: local(10, 0) } }
    })
  })

  test('the next judged window at or under the limit clears; a window is judged on tick when the meter falls silent', () => {
    const a = createNoiseAnalyzer(contextOf())
    feed(a, local(9, 0), Array(60).fill(57))
    const quiet = feed(a, local(10, 0), Array(60).fill(54))
    expect(leqSignals(quiet).map((s) => [s.active, s.at])).toEqual([[true, local(10, 0)]])
    expect(a.tick!(local(11, 1))).toEqual([])
    expect(leqSignals(a.tick!(local(11, 2)))).toEqual([{ active: false, at: local(11, 0), ruleId: 'noise.leq', subject: 'N-1' }])
    // A late minute of a judged window is dropped, not judged again.
    expect(a.observe(minute(local(10, 59), 90))).toEqual([])
  })

  // The hour before breaches, so the hour under test shows its verdict: a clear, a repeat, or nothing when unjudged.
  test.each<[string, (i: number) => Partial<NoiseTelemetry> & { leq: number }, 'clears' | 'breaches' | 'unjudged']>([
    ['rain-invalidated loud minutes are left out', (i) => i < 10 ? { leq: 80, lmax: 85, valid: false, invalidReason: 'rain' } : { leq: 50 }, 'clears'],
    ['…while the valid minutes alone still breach', (i) => i < 10 ? { leq: 40, valid: false, invalidReason: 'wind' } : { leq: 56 }, 'breaches'],
    ['under 75 % valid the window is not judged', (i) => i < 16 ? { leq: 40, valid: false, invalidReason: 'rain' } : { leq: 50 }, 'unjudged']
  ])('%s', (_, at, expected) => {
    const a = createNoiseAnalyzer(contextOf())
    expect(leqSignals(feed(a, local(13, 0), [...Array(60).fill(60), ...Array.from({ length: 60 }, (_, i) => at(i))])).map((s) => s.active)).toEqual([true])
    const out = leqSignals(a.tick!(local(16, 0)))
    expect(out.map((s) => s.active)).toEqual({ clears: [false], breaches: [true], unjudged: [] }[expected])
    if (expected === 'breaches') expect(out[0]).toMatchObject({ trigger: { values: { samples: 50, invalidSamples: 10, leq: 56 } } })
  })

  test('the night boundary comes from the community: 22:30 at 50 dB breaches the night limit only when night starts at 22:00', () => {
    const evening = (noise: { dayStart: string, nightStart: string }): Signal[] => {
      const a = createNoiseAnalyzer(contextOf('N-1', { noise }))
      feed(a, local(22, 0), Array(60).fill(50))
      return leqSignals(a.tick!(local(23, 30)))
    }
    expect(evening({ dayStart: '06:00', nightStart: '22:00' })).toMatchObject([{ active: true, trigger: { values: { period: 'night', limit: 45 } } }])
    expect(evening({ dayStart: '07:00', nightStart: '23:00' })).toEqual([])
  })

  test('windows never straddle day and night: 90-minute windows are cut at 22:00 and restart there', () => {
    const a = createNoiseAnalyzer(contextOf('N-1', { analytics: { noise: { leqWindowMs: 90 * MIN } } }))
    // 19:30 → 23:30 at 50 dB(A): under the class 1 day limit (55), over the night one (45).
    const out = leqSignals([...feed(a, local(19, 30), Array(240).fill(50)), ...a.tick!(local(23, 40))])
    expect(out.map((s) => s.active && [s.trigger.window.fromMs, s.trigger.window.toMs, s.trigger.values.period])).toEqual([[local(22, 0), local(23, 30), 'night']])
  })

  test('zone class: the meter\'s own class overrides its grid\'s', () => {
    expect(zoneClassOf(contextOf('N-1'))).toBe('1')
    expect(zoneClassOf(contextOf('N-ROAD'))).toBe('4a')
    const a = createNoiseAnalyzer(contextOf('N-ROAD'))
    feed(a, local(9, 0), Array(60).fill(66))
    expect(leqSignals(a.tick!(local(10, 5)))).toEqual([])
  })
})

describe('night sudden and frequent noise (class 1 night limit 45: sudden > 60, frequent > 55)', () => {
  const quiet = { leq: 40, lmax: 48 }
  const bang = { leq: 44, lmax: 62 }
  const loud = { leq: 42, lmax: 57 }
  const night = (rows: (typeof quiet)[], startHh = 1): [string, boolean, number][] => {
    const a = createNoiseAnalyzer(contextOf())
    return rows.flatMap((r, i) => a.observe(minute(local(startHh, i + 1), r.leq, r)).map((s): [string, boolean, number] => [s.ruleId, s.active, i]))
      .filter(([r]) => r !== 'noise.leq')
  }
  test.each<[string, (typeof quiet)[], [string, boolean, number][], number?]>([
    ['one bang: sudden, cleared by the next quiet minute', [quiet, bang, quiet],
      [['noise.night-sudden', true, 1], ['noise.night-sudden', false, 2]]],
    ['two loud minutes: nothing', [loud, quiet, loud, quiet], []],
    ['three loud minutes within the hour: frequent, not sudden', [loud, quiet, loud, quiet, loud],
      [['noise.night-frequent', true, 4]]],
    ['a bang counts towards frequent too', [loud, loud, bang],
      [['noise.night-sudden', true, 2], ['noise.night-frequent', true, 2]]],
    ['the same bang by day is not judged', [quiet, bang, bang, bang], [], 14]
  ])('%s', (_, rows, expected, startHh = 1) => {
    expect(night(rows, startHh)).toEqual(expected)
  })

  test('loud minutes 40 minutes apart never make three in an hour; frequent clears as the oldest leaves', () => {
    const a = createNoiseAnalyzer(contextOf())
    const at = (mm: number, r: typeof quiet): Signal[] => a.observe(minute(local(0, 0) + mm * MIN, r.leq, r)).filter((s) => s.ruleId === 'noise.night-frequent')
    expect([...at(1, loud), ...at(41, loud), ...at(81, loud)]).toEqual([])
    // 41, 81 and 90 lie within an hour: frequent; a fourth loud minute re-asserts it.
    expect([...at(90, loud), ...at(95, loud)].map((s) => [s.active, s.at])).toEqual([[true, local(0, 0) + 90 * MIN], [true, local(0, 0) + 95 * MIN]])
    // At 101 min the minute of 41 leaves the hour (three remain); at 141 the one of 81 leaves: two remain, cleared then.
    expect(a.tick!(local(0, 0) + 150 * MIN).filter((s) => s.ruleId === 'noise.night-frequent')).toEqual([
      { active: false, at: local(0, 0) + 141 * MIN, ruleId: 'noise.night-frequent', subject: 'N-1' }
    ])
  })

  test('invalid minutes are excluded from sudden noise', () => {
    expect(night([{ ...bang, valid: false, invalidReason: 'wind' } as typeof quiet])).toEqual([])
  })
})

test('noiseAnalytics lists its rules, each citing a clause', () => {
  expect(noiseAnalytics.rules.map((r) => [r.id, r.severity])).toEqual([['noise.leq', 'P4'], ['noise.night-sudden', 'P3'], ['noise.night-frequent', 'P3']])
  for (const r of noiseAnalytics.rules) expect(r.clause).toMatch(/GB (3096|12348)/)
})
