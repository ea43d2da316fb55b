import { describe, expect, test } from 'vitest'
import type { Alert } from '@gangwan/contracts'
import { scoreAlerts, type Truth } from '../src/score-alerts.ts'

const T = 1_763_800_000_000
const MIN = 60_000

function alert (over: Partial<Alert> & Pick<Alert, 'ruleId' | 'category'>): Alert {
  return {
    key: `${over.ruleId}|${over.subject ?? 'x'}|${over.openedAt ?? T}`, subject: 'x', severity: 'P2', state: 'open', title: 't',
    source: { type: 'rule', id: over.ruleId, version: '1', clause: 'c' }, trigger: { values: {}, window: { fromMs: T, toMs: T } },
    location: { grid: 'G1' }, openedAt: T, lastSeenAt: T, count: 1, flapping: false, detectedAt: T, version: 1, ...over
  }
}

const fire: Truth = { id: 'fire-1', type: 'fire', category: 'fire', lifeSafety: true, startMs: T, endMs: T + 10 * MIN, match: { building: 'B03', zone: 'B03-F12' }, expect: { severity: 'P1' } }
const dusty: Truth = { id: 'dusty-1', type: 'dusty_detector', category: 'device_health', lifeSafety: false, startMs: T, endMs: T + 60 * MIN, match: { devices: ['D-9'] }, forbid: [{ category: 'fire', severity: 'P1' }], allow: [{ category: 'fire', severity: 'P2' }] }
const fromFloor = (floor: number, from: number, to: number, at: number): [Truth, Alert] => [
  { id: `throw-${floor}-${from}`, type: 'thrown_object', category: 'falling_object', lifeSafety: true, startMs: at, endMs: at + 5000, match: { building: 'B05', facade: 'S' }, expect: { floor } },
  alert({ ruleId: 'falling_object.thrown', category: 'falling_object', severity: 'P1', subject: `c/${floor}-${from}`, location: { grid: 'G1', building: 'B05', facade: 'S', floorRange: { from, to, confidence: 0.8 } }, openedAt: at + 1000 })
]

describe('scoring alerts against ground truth', () => {
  test('a P1 fire in the zone detects the fire; its pre-alarms are explained, not false', () => {
    const s = scoreAlerts([
      alert({ ruleId: 'fire.smoke', category: 'fire', device: 'B03-F12-S01', location: { grid: 'G1', building: 'B03', zone: 'B03-F12', floor: 12 }, openedAt: T + 30_000 }),
      alert({ ruleId: 'fire.confirmed', category: 'fire', severity: 'P1', location: { grid: 'G1', building: 'B03', zone: 'B03-F12', floor: 12 }, openedAt: T + 90_000 })
    ], [fire])
    expect(s.categories.fire).toMatchObject({ truths: 1, detected: 1, alerts: 2, truePositives: 2, recall: 1, precision: 1, latencyMs: { p50: 90_000, max: 90_000 } })
    expect(s.lifeSafety).toEqual({ truths: 1, detected: 1, recall: 1 })
  })

  test.each([
    ['only a pre-alarm (severity below the expected P1)', { ruleId: 'fire.smoke', category: 'fire', severity: 'P2', location: { grid: 'G1', building: 'B03', zone: 'B03-F12' } }],
    ['another zone', { ruleId: 'fire.confirmed', category: 'fire', severity: 'P1', location: { grid: 'G1', building: 'B03', zone: 'B03-F13' } }],
    ['another building', { ruleId: 'fire.confirmed', category: 'fire', severity: 'P1', location: { grid: 'G1', building: 'B04', zone: 'B03-F12' } }],
    ['long after the incident', { ruleId: 'fire.confirmed', category: 'fire', severity: 'P1', location: { grid: 'G1', building: 'B03', zone: 'B03-F12' }, openedAt: T + 200 * MIN }],
    ['another category', { ruleId: 'elevator.fire_mode', category: 'elevator', severity: 'P1', location: { grid: 'G1', building: 'B03', zone: 'B03-F12' } }]
  ] as const)('misses the fire when the alert is %s', (_name, over) => {
    const s = scoreAlerts([alert(over as Partial<Alert> & Pick<Alert, 'ruleId' | 'category'>)], [fire])
    expect(s.missed).toEqual(['fire-1'])
    expect(s.lifeSafety.recall).toBe(0)
  })

  test('an alert no incident explains is a false positive; a forbidden one too; an allowed one is not', () => {
    const s = scoreAlerts([
      alert({ ruleId: 'health.drift', category: 'device_health', device: 'D-9', severity: 'P4', openedAt: T + 20 * MIN }),
      alert({ ruleId: 'fire.smoke', category: 'fire', device: 'D-9', severity: 'P2', openedAt: T + 30 * MIN }),
      alert({ ruleId: 'fire.confirmed', category: 'fire', device: 'D-9', severity: 'P1', subject: 'z', openedAt: T + 31 * MIN }),
      alert({ ruleId: 'noise.leq', category: 'noise', device: 'N-1', severity: 'P4' })
    ], [dusty])
    expect(s.falsePositives.map((f) => f.ruleId)).toEqual(['fire.confirmed', 'noise.leq'])
    expect(s.overall).toMatchObject({ alerts: 4, truePositives: 2, precision: 0.5, recall: 1 })
  })

  test('a throw is within one floor when the true floor lies in the range widened by one floor', () => {
    // four throws from the same façade a few minutes apart, each judged by its own alert
    const cases = [fromFloor(17, 16, 18, T), fromFloor(17, 18, 19, T + 3 * MIN), fromFloor(17, 19, 20, T + 6 * MIN), fromFloor(17, 12, 15, T + 9 * MIN)]
    const s = scoreAlerts(cases.map((c) => c[1]), cases.map((c) => c[0]))
    expect(s.throws).toEqual({ truths: 4, withinOneFloor: 2, share: 0.5 })
  })
})
