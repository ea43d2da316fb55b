import { describe, expect, test } from 'vitest'
import { AlertSchema, type FireTelemetry } from '@gangwan/contracts'
import { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS } from '../../src/core/create-alert-book.ts'
import type { Signal } from '../../src/core/signal.ts'
import { fireAnalytics } from '../../src/kinds/fire/index.ts'
import { deviceOf, fireElevatorCommunity, fireMsg, MIN, S, T0, transitions } from '../support/kind-fixtures-fire-elevator.ts'

/** One report: seconds after T0 and what differs from a quiet report. */
type Step = [seconds: number, fields: Partial<FireTelemetry>]

function run (device: string, steps: Step[], analytics: Parameters<typeof fireElevatorCommunity>[0] = {}): Signal[] {
  const ctx = fireElevatorCommunity(analytics)
  const a = fireAnalytics.forDevice(deviceOf(ctx, device, 'fire'))
  return steps.flatMap(([s, fields]) => a.observe(fireMsg(T0 + s * S, fields)))
}

const MCP = { smokeDbM: undefined, temperatureC: undefined, batteryPct: undefined }
const ramp = (from: number, to: number, everyS: number, c0: number, cPerS: number): Step[] =>
  Array.from({ length: Math.floor((to - from) / everyS) + 1 }, (_, i) => [from + i * everyS, { temperatureC: Math.round((c0 + i * everyS * cPerS) * 10) / 10 }])

describe('fire rules per detector', () => {
  const cases: [string, string, Step[], string[]][] = [
    ['clean chamber: nothing', 'B01-F12-S01', [[0, {}], [60, { smokeDbM: 0.02 }]], []],
    ['smoke just under 0.05 dB/m: nothing', 'B01-F12-S01', [[0, { smokeDbM: 0.049 }]], []],
    ['smoke at 0.05 dB/m (GB 4715-2024 §5.7): pre-alarm', 'B01-F12-S01', [[0, { smokeDbM: 0.05 }]], ['+fire.smoke@0']],
    ['smoke hysteresis: holds at 0.041, clears under 0.04 (80 %)', 'B01-F12-S01',
      [[0, { smokeDbM: 0.06 }], [60, { smokeDbM: 0.045 }], [120, { smokeDbM: 0.041 }], [180, { smokeDbM: 0.039 }]], ['+fire.smoke@0', '-fire.smoke@180']],
    ['the detector\'s own alarm flag, then its reset', 'B01-F12-S01', [[0, { alarm: true }], [60, { alarm: false }]],
      ['+fire.detector_alarm@0', '-fire.detector_alarm@60']],
    ['a smoke detector\'s chamber temperature is not a heat alarm', 'B01-F12-S01', [[0, { temperatureC: 22 }], [60, { temperatureC: 90 }]], []],
    ['class A2 heat detector: 53.9 °C nothing, 54 °C alarm, clears at 51 °C (3 °C margin)', 'B01-F12-H01',
      [[0, { temperatureC: 51 }], [60, { temperatureC: 53.9 }], [120, { temperatureC: 54 }], [180, { temperatureC: 51.1 }], [240, { temperatureC: 51 }]],
      ['+fire.heat_fixed@120', '-fire.heat_fixed@240']],
    ['rate of rise 10 °C/min at 60 s reports', 'B01-F12-H01', [[0, { temperatureC: 22 }], [60, { temperatureC: 22.1 }], [120, { temperatureC: 32.1 }]],
      ['+fire.heat_rate_of_rise@120']],
    ['rate of rise clears under 80 % of 8.3 °C/min', 'B01-F12-H01',
      [[0, { temperatureC: 22 }], [60, { temperatureC: 32 }], [120, { temperatureC: 39 }], [180, { temperatureC: 45 }]],
      ['+fire.heat_rate_of_rise@60', '-fire.heat_rate_of_rise@180']],
    ['needs two samples: one hot first report is no rate', 'B01-F12-H01', [[0, { temperatureC: 40 }]], []],
    ['±0.3 °C noise in 2 s alarm-time reports is not a rate of rise', 'B01-F12-H01',
      [[0, { temperatureC: 22 }], [60, { temperatureC: 22 }], [62, { temperatureC: 22.3 }], [64, { temperatureC: 22 }], [66, { temperatureC: 22.3 }], [68, { temperatureC: 22 }]], []],
    ['12 °C/min in 5 s alarm-time reports: judged against the sample ≥ 30 s back', 'B01-F12-H01',
      [[0, { temperatureC: 22 }], ...ramp(60, 120, 5, 22, 0.2)], ['+fire.heat_rate_of_rise@90']],
    ['a baseline older than 3 min gives no rate (reports lost)', 'B01-F12-H01', [[0, { temperatureC: 22 }], [240, { temperatureC: 45 }]], []],
    ['unlisted heat class defaults to A1 (54 °C)', 'B01-F12-H02', [[0, { temperatureC: 53 }], [600, { temperatureC: 54 }]], ['+fire.heat_fixed@600']],
    ['multi-sensor: smoke and heat both judged', 'B01-F12-M01', [[0, { temperatureC: 22 }], [60, { temperatureC: 32, smokeDbM: 0.07 }]],
      ['+fire.smoke@60', '+fire.heat_rate_of_rise@60']],
    ['manual call point pressed, then reset', 'B01-F12-MCP', [[0, { ...MCP, manualCall: false }], [30, { ...MCP, manualCall: true }], [90, { ...MCP, manualCall: false }]],
      ['+fire.manual_call@30', '-fire.manual_call@90']],
    ['fault bit', 'B01-F12-S01', [[0, { fault: true }], [60, { fault: false }]], ['+fire.fault@0', '-fire.fault@60']],
    ['tamper (removed from base)', 'B01-F12-S01', [[0, { tamper: true }], [60, { tamper: false }]], ['+fire.tamper@0', '-fire.tamper@60']],
    ['low battery is left to the health monitor', 'B01-F12-S01', [[0, { batteryPct: 3 }]], []],
    ['a late report older than the newest is ignored', 'B01-F12-S01', [[60, { smokeDbM: 0.08 }], [0, { smokeDbM: 0.01 }], [120, { smokeDbM: 0.08 }]], ['+fire.smoke@60']]
  ]
  test.each(cases)('%s', (_name, device, steps, expected) => {
    expect(transitions(run(device, steps))).toEqual(expected)
  })

  test.each([
    ['smokeDbM 0.15 (type B detectors)', { smokeDbM: 0.15 }, 'B01-F12-S01', [[0, { smokeDbM: 0.1 }], [60, { smokeDbM: 0.15 }]], ['+fire.smoke@60']],
    ['defaultHeatClass C (84 °C)', { defaultHeatClass: 'C' }, 'B01-F12-H02', [[0, { temperatureC: 80 }], [600, { temperatureC: 84 }]], ['+fire.heat_fixed@600']],
    ['rateOfRiseCPerMin 20', { rateOfRiseCPerMin: 20 }, 'B01-F12-H01', [[0, { temperatureC: 22 }], [60, { temperatureC: 32 }], [120, { temperatureC: 52 }]], ['+fire.heat_rate_of_rise@120']]
  ] as const)('thresholds come from settings: %s', (_name, fire, device, steps, expected) => {
    expect(transitions(run(device, steps as unknown as Step[], { fire }))).toEqual(expected)
  })

  test('a pre-alarm explains itself: P2 fire on the detector, its floor and zone, clause and values', () => {
    const [signal] = run('B01-F12-S01', [[0, { smokeDbM: 0.08 }]]).filter((s) => s.active)
    expect(signal).toEqual({
      active: true,
      at: T0,
      ruleId: 'fire.smoke',
      subject: 'B01-F12-S01',
      device: 'B01-F12-S01',
      kind: 'fire',
      category: 'fire',
      severity: 'P2',
      title: 'Smoke pre-alarm',
      source: { type: 'rule', id: 'fire.smoke', version: '1', clause: expect.stringContaining('GB 4715-2024 §5.7') },
      trigger: { values: { smokeDbM: 0.08, obscurationPctM: 1.83, levelDbM: 0.05 }, window: { fromMs: T0, toMs: T0 } },
      location: { grid: 'G01', building: 'B01', floor: 12, zone: 'B01-F12' }
    })
  })

  test('the rate-of-rise window spans the baseline sample; health rules are device_health P3', () => {
    const ror = run('B01-F12-H01', [[0, { temperatureC: 22 }], [60, { temperatureC: 32 }]]).find((s) => s.active && s.ruleId === 'fire.heat_rate_of_rise')
    expect(ror).toMatchObject({ trigger: { values: { rateCPerMin: 10, fromC: 22, temperatureC: 32, levelCPerMin: 8.3 }, window: { fromMs: T0, toMs: T0 + MIN } } })
    const health = run('B01-F12-S01', [[0, { fault: true, tamper: true, batteryPct: 5 }]]).filter((s) => s.active)
    expect(health.map((s) => s.active && [s.ruleId, s.category, s.severity])).toEqual([
      ['fire.fault', 'device_health', 'P3'], ['fire.tamper', 'device_health', 'P3']
    ])
  })

  test('first report gives every judged rule a verdict; a holding rule repeats on each report', () => {
    const signals = run('B01-F12-S01', [[0, {}], [60, { smokeDbM: 0.08 }], [120, { smokeDbM: 0.09 }], [180, {}]])
    const verdicts = signals.map((s) => `${s.active ? '+' : '-'}${s.ruleId}@${(s.at - T0) / S}`)
    // A smoke detector has no heat element and no call point: those rules say nothing.
    expect(verdicts).toEqual([
      '-fire.smoke@0', '-fire.detector_alarm@0', '-fire.fault@0', '-fire.tamper@0',
      '+fire.smoke@60', '+fire.smoke@120', '-fire.smoke@180'
    ])
  })

  test('signals become schema-valid alerts in the alert book', () => {
    const book = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: () => T0 })
    const alerts = run('B01-F12-M01', [[0, { temperatureC: 22 }], [60, { temperatureC: 32, smokeDbM: 0.07, alarm: true, fault: true }], [120, { smokeDbM: 0.01, fault: true }]])
      .flatMap((s) => book.apply(s))
    for (const a of alerts) AlertSchema.parse(a)
    expect(alerts.map((a) => `${a.ruleId}:${a.state}`)).toEqual([
      'fire.smoke:open', 'fire.detector_alarm:open', 'fire.heat_rate_of_rise:open', 'fire.fault:open',
      'fire.smoke:cleared', 'fire.detector_alarm:cleared', 'fire.heat_rate_of_rise:cleared',
      // the fault's repeat a minute on refreshes lastSeenAt
      'fire.fault:open'
    ])
  })

  test('rules list documents every rule with a clause', () => {
    const ids = fireAnalytics.rules.map((r) => r.id)
    expect(ids).toEqual(['fire.smoke', 'fire.detector_alarm', 'fire.heat_fixed', 'fire.heat_rate_of_rise', 'fire.manual_call', 'fire.fault', 'fire.tamper', 'fire.dirty_chamber', 'fire.confirmed'])
    for (const r of fireAnalytics.rules) expect(r.clause.length).toBeGreaterThan(5)
  })
})
