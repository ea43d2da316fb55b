import { describe, expect, test } from 'vitest'
import { AlertSchema, type Alert, type ElevatorTelemetry } from '@gangwan/contracts'
import { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS } from '../../src/core/create-alert-book.ts'
import type { Signal } from '../../src/core/signal.ts'
import { elevatorAnalytics } from '../../src/kinds/elevator/index.ts'
import { deviceOf, fireElevatorCommunity, liftMsg, S, T0, transitions } from '../support/kind-fixtures-fire-elevator.ts'

/** A controller report at seconds after T0, or a tick of the measurement clock with no report. */
type Step = [seconds: number, fields: Partial<ElevatorTelemetry>] | [seconds: number, 'tick']

function run (steps: Step[], analytics: Parameters<typeof fireElevatorCommunity>[0] = {}): Signal[] {
  const ctx = fireElevatorCommunity(analytics)
  const a = elevatorAnalytics.forDevice(deviceOf(ctx, 'E1-C', 'elevator'))
  return steps.flatMap(([s, step]) => step === 'tick' ? a.tick!(T0 + s * S) : a.observe(liftMsg(T0 + s * S, step)))
}

/** Reports every `everyS` seconds from `from` to `to` inclusive, all with `fields`. */
const every = (from: number, to: number, everyS: number, fields: Partial<ElevatorTelemetry>): Step[] =>
  Array.from({ length: Math.floor((to - from) / everyS) + 1 }, (_, i) => [from + i * everyS, fields])

const STUCK = { floor: 12, passenger: true } // stopped, door closed, levelled (the idle defaults) with someone inside
const BETWEEN = { ...STUCK, inDoorZone: false }
const RUN = { direction: 'up', speedMps: 2.5, floor: 8, inDoorZone: false } as const

describe('elevator rules', () => {
  const cases: [string, Step[], string[]][] = [
    ['an idle empty car: nothing', every(0, 600, 10, {}), []],
    ['trapped at landing after 60 s with the door shut, cleared when the door opens',
      [...every(0, 70, 10, STUCK), [75, { ...STUCK, door: 'opening' }]], ['+elevator.trapped_at_landing@60', '-elevator.trapped_at_landing@75']],
    ['59 s is not yet trapped', every(0, 59, 59, STUCK), []],
    ['trapped between floors: stopped outside the door zone first (P2), then trapped (P1) takes over',
      [...every(0, 60, 10, BETWEEN), [65, { ...BETWEEN, door: 'open' }]],
      ['+elevator.stop_outside_door_zone@0', '+elevator.trapped_between_floors@60', '-elevator.stop_outside_door_zone@60', '-elevator.trapped_between_floors@65', '+elevator.stop_outside_door_zone@65']],
    ['the trapped timer expires on the measurement clock with no new report',
      [[0, STUCK], [30, 'tick'], [59.999, 'tick'], [60, 'tick'], [61, 'tick']], ['+elevator.trapped_at_landing@60']],
    ['the timer starts when the car stops, not before', [[0, { ...RUN, passenger: true }], [20, STUCK], [79, 'tick'], [80, 'tick']], ['+elevator.trapped_at_landing@80']],
    ['a door opening restarts the timer', [[0, STUCK], [30, { ...STUCK, door: 'open' }], [40, STUCK], [99, 'tick'], [100, 'tick']], ['+elevator.trapped_at_landing@100']],
    ['no passenger: never trapped', [[0, {}], [600, 'tick'], [610, {}]], []],
    ['once trapped, a passenger-sensor dropout does not clear it; the door does',
      [[0, STUCK], [60, STUCK], [70, { ...STUCK, passenger: false }], [80, { door: 'open' }]], ['+elevator.trapped_at_landing@60', '-elevator.trapped_at_landing@80']],
    ['a technician in inspection mode is not trapped',
      [...every(0, 120, 10, { ...BETWEEN, mode: 'inspection' }), [130, {}]], ['+elevator.service_mode@0', '-elevator.service_mode@130']],
    ['door opened while running', [[0, RUN], [1, { ...RUN, speedMps: 1.2, door: 'opening' }], [2, { floor: 8, inDoorZone: false, door: 'open' }]],
      ['+elevator.door_open_while_running@1', '+elevator.stop_outside_door_zone@2', '-elevator.door_open_while_running@2']],
    ['moving with the door open (left the landing before the door closed)',
      [[0, { floor: 3, door: 'open' }], [1, { floor: 3, door: 'open', direction: 'up', speedMps: 0.4 }], [2, { ...RUN, door: 'closed' }]],
      ['+elevator.moving_with_door_open@1', '-elevator.moving_with_door_open@2']],
    ['a normal trip: door closes, runs, levels, door opens: nothing',
      [[0, { door: 'closing' }], [1, {}], [2, { ...RUN, speedMps: 1 }], [3, RUN], [4, { ...RUN, speedMps: 0.8 }], [5, { floor: 8 }], [6, { floor: 8, door: 'opening' }]], []],
    ['over-speed against the rated 2.5 m/s: 1.2× warns, 1.4× trips, each clears 0.05× under its level',
      [[0, { ...RUN, speedMps: 2.9 }], [1, { ...RUN, speedMps: 3.0 }], [2, { ...RUN, speedMps: 3.5 }], [3, { ...RUN, speedMps: 3.4 }],
        [4, { ...RUN, speedMps: 3.3 }], [5, { ...RUN, speedMps: 2.9 }], [6, { ...RUN, speedMps: 2.85 }]],
      ['+elevator.over_speed_warn@1', '+elevator.over_speed_trip@2', '-elevator.over_speed_trip@4', '-elevator.over_speed_warn@6']],
    ['controller fault codes', [[0, { faultCodes: ['E30'] }], [10, { faultCodes: ['E41', 'E30'] }], [20, {}]],
      ['+elevator.fault_code@0', '-elevator.fault_code@20']],
    ['fire-service mode', [[0, { mode: 'fire' }], [600, {}]], ['+elevator.fire_mode@0', '-elevator.fire_mode@600']],
    ['a late report older than the newest is ignored', [[10, { mode: 'fire' }], [5, {}], [20, { mode: 'fire' }]], ['+elevator.fire_mode@10']]
  ]
  test.each(cases)('%s', (_name, steps, expected) => {
    expect(transitions(run(steps))).toEqual(expected)
  })

  test.each([
    ['trappedAfterMs 40 s', { trappedAfterMs: 40_000 }, [[0, STUCK], [39, 'tick'], [40, 'tick']], ['+elevator.trapped_at_landing@40']],
    ['overSpeedWarn 1.1', { overSpeedWarn: 1.1 }, [[0, { ...RUN, speedMps: 2.75 }]], ['+elevator.over_speed_warn@0']],
    ['stoppedSpeedMps 0.2: creeping at 0.1 m/s counts as standing', { stoppedSpeedMps: 0.2 }, [[0, { ...STUCK, speedMps: 0.1 }], [60, 'tick']], ['+elevator.trapped_at_landing@60']]
  ] as const)('thresholds come from settings: %s', (_name, elevator, steps, expected) => {
    expect(transitions(run(steps as unknown as Step[], { elevator }))).toEqual(expected)
  })

  test('a trapped passenger explains itself: P1 on the controller, building, lift and floor', () => {
    const signal = run([[0, BETWEEN], [60, 'tick']]).find((s) => s.ruleId === 'elevator.trapped_between_floors' && s.active)
    expect(signal).toEqual({
      active: true,
      at: T0 + 60 * S,
      ruleId: 'elevator.trapped_between_floors',
      subject: 'E1-C',
      device: 'E1-C',
      kind: 'elevator',
      category: 'elevator',
      severity: 'P1',
      title: 'Passenger trapped between floors',
      source: { type: 'rule', id: 'elevator.trapped_between_floors', version: '1', clause: expect.stringContaining('GB/T 24476-2017') },
      trigger: {
        values: { floor: 12, inDoorZone: false, passenger: true, door: 'closed', closedForS: 60, trappedAfterS: 60 },
        window: { fromMs: T0, toMs: T0 + 60 * S }
      },
      location: { grid: 'G01', building: 'B01', elevator: 'E1', floor: 12 }
    })
  })

  test('severities and categories: trapped/door/trip P1, warn and stop-outside P2, fault P3, fire mode is a fire P2, service P4', () => {
    expect(elevatorAnalytics.rules.map((r) => `${r.id}:${r.category}:${r.severity}`)).toEqual([
      'elevator.trapped_at_landing:elevator:P1', 'elevator.trapped_between_floors:elevator:P1', 'elevator.stop_outside_door_zone:elevator:P2',
      'elevator.door_open_while_running:elevator:P1', 'elevator.moving_with_door_open:elevator:P1', 'elevator.over_speed_warn:elevator:P2',
      'elevator.over_speed_trip:elevator:P1', 'elevator.fault_code:elevator:P3', 'elevator.fire_mode:fire:P2', 'elevator.service_mode:elevator:P4'
    ])
  })

  test('faults carry holdMs = faultHoldMs; the safety events none by default (eventHoldMs 0)', () => {
    const signals = run([[0, { ...BETWEEN, passenger: false, faultCodes: ['E30'] }], [1, { ...RUN, speedMps: 3.6, door: 'opening' }]])
    const holds = Object.fromEntries(signals.flatMap((s) => s.active ? [[s.ruleId, s.holdMs]] : []))
    expect(holds).toEqual({
      'elevator.stop_outside_door_zone': 5000, 'elevator.fault_code': 5000,
      'elevator.door_open_while_running': undefined, 'elevator.over_speed_warn': undefined, 'elevator.over_speed_trip': undefined
    })
  })
})

describe('elevator faults through the alert book (it debounces holdMs)', () => {
  /** Runs the analyzer and the real alert book on a 1 s measurement clock, as the pipeline does. */
  function alerts (reports: Step[], untilS: number): Alert[] {
    const ctx = fireElevatorCommunity()
    const a = elevatorAnalytics.forDevice(deviceOf(ctx, 'E1-C', 'elevator'))
    const book = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: () => T0 })
    const out: Alert[] = []
    const byTime = new Map(reports.map((r) => [r[0], r[1]]))
    for (let s = 0; s <= untilS; s++) {
      const report = byTime.get(s)
      const signals = report === undefined || report === 'tick' ? a.tick!(T0 + s * S) : a.observe(liftMsg(T0 + s * S, report))
      out.push(...signals.flatMap((x) => book.apply(x)), ...book.tick(T0 + s * S))
    }
    return out.map((x) => AlertSchema.parse(x))
  }
  const summary = (list: Alert[]) => list.map((x) => `${x.ruleId}:${x.state}@${(x.openedAt - T0) / S}`)

  test.each([
    ['a fault code for 3 s (shorter than the 5 s hold): no alert', [[0, { faultCodes: ['E30'] }], [3, {}]] as Step[], []],
    ['a fault code held: opens after 5 s, dated from its start', [[0, { faultCodes: ['E30'] }], [10, { faultCodes: ['E30'] }]] as Step[], ['elevator.fault_code:open@0']],
    ['stopped outside the door zone 4 s, then moves on: no alert', [[0, { floor: 5, inDoorZone: false }], [4, RUN]] as Step[], []],
    ['stopped outside the door zone, reports 10 s apart: opens on the clock after 5 s',
      [[0, { floor: 5, inDoorZone: false }], [10, { floor: 5, inDoorZone: false }]] as Step[], ['elevator.stop_outside_door_zone:open@0']]
  ])('%s', (_name, reports, expected) => {
    expect(summary(alerts(reports, 12))).toEqual(expected)
  })

  test('the fault alert opens at the 5 s tick, with no report in between', () => {
    const list = alerts([[0, { faultCodes: ['E30'] }], [10, { faultCodes: ['E30'] }]], 12)
    expect(list[0]).toMatchObject({ lastSeenAt: T0 + 0 * S, trigger: { values: { faultCodes: 'E30' } } })
    expect(alerts([[0, { faultCodes: ['E30'] }]], 4)).toEqual([])
    expect(alerts([[0, { faultCodes: ['E30'] }]], 5)).toHaveLength(1)
  })
})
