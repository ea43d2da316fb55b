import { describe, expect, test } from 'vitest'
import { AlertSchema, type FireTelemetry } from '@gangwan/contracts'
import { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS } from '../../src/core/create-alert-book.ts'
import type { DeviceAnalyzer } from '../../src/core/kind-analytics.ts'
import type { Signal } from '../../src/core/signal.ts'
import { fireAnalytics } from '../../src/kinds/fire/index.ts'
import { deviceOf, fireElevatorCommunity, fireMsg, MIN, S, T0, transitions } from '../support/kind-fixtures-fire-elevator.ts'

/** A report from a device at seconds after T0, or a tick of the measurement clock. */
type Step = [seconds: number, device: string, fields: Partial<FireTelemetry>] | [seconds: number, 'tick']

/** Runs detectors and the zone correlator as the pipeline does; returns what each produced. */
function run (steps: Step[], analytics: Parameters<typeof fireElevatorCommunity>[0] = {}): { devices: Signal[], zone: Signal[] } {
  const ctx = fireElevatorCommunity(analytics)
  const correlator = fireAnalytics.correlator!(ctx)
  const analyzers = new Map<string, DeviceAnalyzer<'fire'>>()
  const devices: Signal[] = []
  const zone: Signal[] = []
  for (const step of steps) {
    const at = T0 + step[0] * S
    if (step[1] === 'tick') {
      zone.push(...correlator.tick!(at))
      continue
    }
    const [, id, fields] = step
    let a = analyzers.get(id)
    if (a === undefined) analyzers.set(id, a = fireAnalytics.forDevice(deviceOf(ctx, id, 'fire')))
    const signals = a.observe(fireMsg(at, fields))
    devices.push(...signals)
    zone.push(...correlator.accept(signals))
  }
  return { devices, zone }
}

const SMOKE = { smokeDbM: 0.08 }
const CLEAR = { smokeDbM: 0.01 }
const MCP = { smokeDbM: undefined, temperatureC: undefined, batteryPct: undefined }

describe('fire zone correlator (GB 50116-2013 §4.1.6 double knock)', () => {
  const cases: [string, Step[], string[]][] = [
    ['a single smoke detector stays a pre-alarm', [[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S01', SMOKE], [120, 'B01-F12-S01', SMOKE]], []],
    ['two detectors of one zone within the window: confirmed', [[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S02', SMOKE]], ['+fire.confirmed@60']],
    ['two detectors in different zones: not confirmed', [[0, 'B01-F12-S01', SMOKE], [60, 'B01-F13-S01', SMOKE]], []],
    ['the same zone name in two buildings: not confirmed', [[0, 'B01-Z1-S01', SMOKE], [60, 'B02-Z1-S01', SMOKE]], []],
    ['the first cleared more than the window (5 min) before the second: not confirmed',
      [[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S01', CLEAR], [360, 'B01-F12-S02', SMOKE]], []],
    ['the first cleared just under the window before the second: confirmed',
      [[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S01', CLEAR], [359, 'B01-F12-S02', SMOKE]], ['+fire.confirmed@359']],
    ['the first still in alarm when the second comes, however late: confirmed (simultaneous alarms)',
      [[0, 'B01-F12-S01', SMOKE], [600, 'B01-F12-S01', SMOKE], [1200, 'B01-F12-S01', SMOKE], [1210, 'B01-F12-S02', SMOKE]], ['+fire.confirmed@1210']],
    ['a detector plus a manual call point: confirmed', [[0, 'B01-F12-S01', SMOKE], [30, 'B01-F12-MCP', { ...MCP, manualCall: true }]], ['+fire.confirmed@30']],
    ['a detector plus a heat detector\'s rate of rise: confirmed',
      [[0, 'B01-F12-H01', { temperatureC: 22 }], [10, 'B01-F12-S01', SMOKE], [60, 'B01-F12-H01', { temperatureC: 32 }]], ['+fire.confirmed@60']],
    ['a manual call point alone stays a pre-alarm', [[0, 'B01-F12-MCP', { ...MCP, manualCall: true }]], []],
    ['one multi-sensor\'s smoke and its own rate of rise are one device: not confirmed',
      [[0, 'B01-F12-M01', { temperatureC: 22 }], [60, 'B01-F12-M01', { temperatureC: 32, smokeDbM: 0.08, alarm: true }]], []],
    ['faults on two detectors of a zone are not fire triggers', [[0, 'B01-F12-S01', { fault: true }], [60, 'B01-F12-S02', { tamper: true }]], []],
    ['confirmed, then quiet: clears one window after the last trigger cleared, on the clock alone',
      [[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S02', SMOKE], [120, 'B01-F12-S01', CLEAR], [180, 'B01-F12-S02', CLEAR],
        [479, 'tick'], [600, 'tick']], ['+fire.confirmed@60', '-fire.confirmed@480']],
    ['after it cleared, a single new trigger is only a pre-alarm again',
      [[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S02', SMOKE], [120, 'B01-F12-S01', CLEAR], [180, 'B01-F12-S02', CLEAR],
        [3600, 'B01-F12-S01', SMOKE]], ['+fire.confirmed@60', '-fire.confirmed@480']],
    ['a shorter confirmWindowMs from settings', [[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S01', CLEAR], [121, 'B01-F12-S02', SMOKE]], []]
  ]
  test.each(cases)('%s', (name, steps, expected) => {
    const analytics = name.includes('shorter') ? { fire: { confirmWindowMs: MIN } } : {}
    const { devices, zone } = run(steps, analytics)
    expect(transitions(zone)).toEqual(expected)
    // The devices' own pre-alarms go on regardless.
    if (steps.some((s) => s[2] === SMOKE)) expect(transitions(devices)).toContain('+fire.smoke@' + steps.find((s) => s[2] === SMOKE)![0])
  })

  test('the confirmed fire explains itself: P1 on building/zone, the first detector\'s floor, every contributor\'s readings', () => {
    const { zone } = run([[0, 'B01-F12-H01', { temperatureC: 22 }], [10, 'B01-F12-S02', { smokeDbM: 0.07, alarm: true }], [60, 'B01-F12-H01', { temperatureC: 33 }]])
    expect(zone).toEqual([{
      active: true,
      at: T0 + MIN,
      ruleId: 'fire.confirmed',
      subject: 'B01/B01-F12',
      kind: 'fire',
      category: 'fire',
      severity: 'P1',
      title: 'Confirmed fire in zone B01-F12',
      source: { type: 'rule', id: 'fire.confirmed', version: '1', clause: expect.stringContaining('GB 50116-2013 §4.1.6') },
      trigger: {
        values: {
          devices: 'B01-F12-S02,B01-F12-H01',
          triggers: 2,
          'B01-F12-S02.rules': 'fire.smoke,fire.detector_alarm',
          'B01-F12-S02.smokeDbM': 0.07,
          'B01-F12-S02.obscurationPctM': 1.6,
          'B01-F12-S02.levelDbM': 0.05,
          'B01-F12-S02.alarm': true,
          'B01-F12-S02.temperatureC': 22,
          'B01-F12-H01.rules': 'fire.heat_rate_of_rise',
          'B01-F12-H01.rateCPerMin': 11,
          'B01-F12-H01.fromC': 22,
          'B01-F12-H01.temperatureC': 33,
          'B01-F12-H01.levelCPerMin': 8.3
        },
        window: { fromMs: T0 + 10 * S, toMs: T0 + MIN }
      },
      location: { grid: 'G01', building: 'B01', floor: 12, zone: 'B01-F12' }
    }])
  })

  test('while confirmed, each new trigger repeats the alert with the contributors so far', () => {
    const { zone } = run([[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S02', SMOKE], [90, 'B01-F12-MCP', { ...MCP, manualCall: true }]])
    expect(zone.map((s) => s.active && s.trigger.values.devices)).toEqual(['B01-F12-S01,B01-F12-S02', 'B01-F12-S01,B01-F12-S02,B01-F12-MCP'])
  })

  test('through the alert book: one pre-alarm per detector (P2) and one confirmed fire (P1), all schema-valid', () => {
    const { devices, zone } = run([[0, 'B01-F12-S01', SMOKE], [60, 'B01-F12-S02', SMOKE]])
    const book = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: () => T0 })
    const alerts = [...devices, ...zone].flatMap((s) => book.apply(s)).map((a) => AlertSchema.parse(a))
    expect(alerts.map((a) => [a.key, a.severity])).toEqual([
      [`fire.smoke|B01-F12-S01|${T0}`, 'P2'], [`fire.smoke|B01-F12-S02|${T0 + MIN}`, 'P2'], [`fire.confirmed|B01/B01-F12|${T0 + MIN}`, 'P1']
    ])
  })
})
