import { describe, expect, test } from 'vitest'
import type { Incident } from '@gangwan/contracts'
import { computeMetrics, periodKey } from '../../src/domain/index.ts'
import type { MetricsGroup } from '../../src/domain/index.ts'
import { makeIncident } from './fixtures.ts'

const S = 1000
const T = Date.UTC(2025, 10, 20, 2, 0) // 2025-11-20 10:00 Asia/Shanghai
const tz = { timezone: 'Asia/Shanghai' }

function inc (id: string, o: Partial<Incident>): Incident {
  const i = makeIncident({ id, createdAt: T, dispatchedAt: T, ...o })
  delete i.deadline
  return i
}
const without = <K extends keyof Incident>(i: Incident, ...keys: K[]): Incident => {
  for (const k of keys) delete i[k]
  return i
}

// Six incidents; the expected numbers below are counted by hand from these.
const A = inc('A', { status: 'closed', category: 'fire', department: 'FCR-1', devices: ['S01', 'S02'], acceptedAt: T + 30 * S, arrivedAt: T + 200 * S, resolvedAt: T + 1_000 * S, verifiedAt: T + 2_000 * S, closedAt: T + 3_600 * S, satisfied: true })
const B = inc('B', { status: 'closed', category: 'fire', department: 'FCR-1', devices: ['S02'], acceptedAt: T + 90 * S, arrivedAt: T + 400 * S, resolvedAt: T + 5_000 * S, verifiedAt: T + 6_000 * S, closedAt: T + 7_200 * S, satisfied: false, missed: ['accept', 'resolve'], reworkCount: 1 })
const C = inc('C', { status: 'false_alarm', category: 'noise', severity: 'P3', department: 'UM-1', location: { grid: 'G02', building: 'B05' }, devices: ['N1'], acceptedAt: T + 60 * S, closedAt: T + 500 * S, falseAlarmReason: 'party, not a complaint' })
const D = inc('D', { status: 'handling', category: 'elevator', severity: 'P1', department: 'EM-1', location: { grid: 'G01', building: 'B03', elevator: 'L1' }, devices: ['E1'], acceptedAt: T + 120 * S, arrivedAt: T + 600 * S, missed: ['arrive'], reworkCount: 1 })
const E = without(inc('E', { status: 'new', category: 'fume', severity: 'P3', location: { grid: 'G02', building: 'B05', restaurant: 'R1' }, devices: [], createdAt: T + 86_400 * S }), 'department', 'dispatchedAt')
const F = inc('F', { status: 'resolved', category: 'fire', department: 'FCR-1', location: { grid: 'G02', building: 'B05', floor: 3, zone: 'Z03' }, devices: ['S03'], acceptedAt: T + 45 * S, arrivedAt: T + 300 * S, resolvedAt: T + 2_000 * S })
const ALL = [A, B, C, D, E, F]

const NO_RATES = { acceptanceRate: null, responseRate: null, onTimeClosureRate: null, reworkRate: null, satisfactionRate: null, meanTimeToAcceptS: null, meanTimeToArriveS: null, meanTimeToCloseS: null }

describe('computeMetrics', () => {
  test('totals and rates over all incidents', () => {
    const report = computeMetrics(ALL, {}, tz)
    const expected: MetricsGroup = {
      key: 'total', incidents: 6, dispatched: 5, accepted: 5, acceptedOnTime: 4, arrived: 4, arrivedOnTime: 3, resolved: 3, closed: 2, closedOnTime: 1,
      falseAlarms: 1, reworked: 2, rated: 2, satisfied: 1,
      acceptanceRate: 1, responseRate: 0.8, closureRate: 0.5, onTimeClosureRate: 0.5,
      // Ever resolved: A, B, F (resolved now) and D (reworked, so resolved once before): 2 of 4.
      reworkRate: 0.5, satisfactionRate: 0.5,
      meanTimeToAcceptS: (30 + 90 + 60 + 120 + 45) / 5, meanTimeToArriveS: (200 + 400 + 600 + 300) / 4, meanTimeToCloseS: (3_600 + 7_200) / 2
    }
    expect(report).toEqual({ groupBy: 'none', groups: [{ ...expected, key: 'all' }], total: expected })
  })

  test('by category, sorted by key, with null rates where nothing counts', () => {
    const report = computeMetrics(ALL, { groupBy: 'category' }, tz)
    expect(report.groups.map((g) => g.key)).toEqual(['elevator', 'fire', 'fume', 'noise'])
    expect(report.groups[1]).toEqual({
      key: 'fire', incidents: 3, dispatched: 3, accepted: 3, acceptedOnTime: 2, arrived: 3, arrivedOnTime: 3, resolved: 3, closed: 2, closedOnTime: 1,
      falseAlarms: 0, reworked: 1, rated: 2, satisfied: 1,
      acceptanceRate: 1, responseRate: 2 / 3, closureRate: 2 / 3, onTimeClosureRate: 0.5, reworkRate: 1 / 3, satisfactionRate: 0.5,
      meanTimeToAcceptS: 55, meanTimeToArriveS: 300, meanTimeToCloseS: 5_400
    })
    expect(report.groups[2]).toMatchObject({ key: 'fume', incidents: 1, dispatched: 0, closureRate: 0, ...NO_RATES })
    expect(report.groups[3]).toMatchObject({ key: 'noise', falseAlarms: 1, closureRate: 1, onTimeClosureRate: null, arrived: 0, meanTimeToArriveS: null, meanTimeToAcceptS: 60 })
    expect(report.total.incidents).toBe(6)
  })

  test('by device an incident counts once per device; incidents without one fall under (none)', () => {
    const report = computeMetrics(ALL, { groupBy: 'device' }, tz)
    expect(report.groups.map((g) => [g.key, g.incidents, g.closed])).toEqual([['(none)', 1, 0], ['E1', 1, 0], ['N1', 1, 0], ['S01', 1, 1], ['S02', 2, 2], ['S03', 1, 0]])
    expect(report.total.incidents).toBe(6)
  })

  test('by department, grid and severity', () => {
    expect(computeMetrics(ALL, { groupBy: 'department' }, tz).groups.map((g) => [g.key, g.incidents])).toEqual([['(none)', 1], ['EM-1', 1], ['FCR-1', 3], ['UM-1', 1]])
    expect(computeMetrics(ALL, { groupBy: 'grid' }, tz).groups.map((g) => [g.key, g.incidents])).toEqual([['G01', 3], ['G02', 3]])
    expect(computeMetrics(ALL, { groupBy: 'severity' }, tz).groups.map((g) => [g.key, g.incidents])).toEqual([['P1', 1], ['P2', 3], ['P3', 2]])
  })

  test('filters: createdAt range [from, to), category, grid, department', () => {
    const ranged = computeMetrics(ALL, { from: T + 1, to: T + 86_400 * S + 1 }, tz)
    expect(ranged).toMatchObject({ from: T + 1, to: T + 86_400 * S + 1, total: { incidents: 1 } })
    expect(computeMetrics(ALL, { from: T, to: T + 86_400 * S }, tz).total.incidents).toBe(5)
    expect(computeMetrics(ALL, { category: 'fire' }, tz).total.incidents).toBe(3)
    expect(computeMetrics(ALL, { grid: 'G02' }, tz).groups[0]).toMatchObject({ incidents: 3, falseAlarms: 1, resolved: 1 })
    expect(computeMetrics(ALL, { department: 'FCR-1', grid: 'G01' }, tz).total).toMatchObject({ incidents: 2, closed: 2, closedOnTime: 1 })
  })

  test('no incidents: no groups and an all-zero total with null rates', () => {
    expect(computeMetrics([], { groupBy: 'category' }, tz)).toEqual({
      groupBy: 'category', groups: [],
      total: { key: 'total', incidents: 0, dispatched: 0, accepted: 0, acceptedOnTime: 0, arrived: 0, arrivedOnTime: 0, resolved: 0, closed: 0, closedOnTime: 0, falseAlarms: 0, reworked: 0, rated: 0, satisfied: 0, closureRate: null, ...NO_RATES }
    })
  })
})

describe('period bucketing in the community\'s time zone', () => {
  // 23:30 and 00:30 in Shanghai (UTC+8) on either side of local midnight, both on 30 November in UTC.
  const before = inc('before', { createdAt: Date.UTC(2025, 10, 30, 15, 30) })
  const after = inc('after', { createdAt: Date.UTC(2025, 10, 30, 16, 30) })

  test.each([
    ['day', ['2025-11-30', '2025-12-01']],
    ['week', ['2025-W48', '2025-W49']],
    ['month', ['2025-11', '2025-12']]
  ] as const)('%s buckets split at Shanghai midnight', (period, keys) => {
    const report = computeMetrics([after, before], { groupBy: 'period', period }, tz)
    expect(report.period).toBe(period)
    expect(report.groups.map((g) => [g.key, g.incidents])).toEqual(keys.map((k) => [k, 1]))
  })

  test('the same instants share a UTC day; the period defaults to month', () => {
    expect(computeMetrics([before, after], { groupBy: 'period', period: 'day' }, { timezone: 'UTC' }).groups.map((g) => g.key)).toEqual(['2025-11-30'])
    expect(computeMetrics([before, after], { groupBy: 'period' }, tz)).toMatchObject({ period: 'month', groups: [{ key: '2025-11' }, { key: '2025-12' }] })
  })

  test.each([
    [Date.UTC(2024, 11, 29, 16, 0), 'week', '2025-W01'], // Mon 30 Dec 2024 local: ISO week 1 of 2025
    [Date.UTC(2024, 11, 29, 15, 59), 'week', '2024-W52'], // Sun 29 Dec 2024 local
    [Date.UTC(2021, 0, 3, 4, 0), 'week', '2020-W53'], // Sun 3 Jan 2021: last week of 2020
    [Date.UTC(2026, 0, 1, 0, 0), 'week', '2026-W01'], // Thu 1 Jan 2026
    [Date.UTC(2025, 0, 31, 23, 30), 'month', '2025-02'],
    [Date.UTC(2025, 0, 31, 23, 30), 'day', '2025-02-01']
  ] as const)('periodKey(%d, %s) = %s', (ms, period, key) => {
    expect(periodKey(ms, period, 'Asia/Shanghai')).toBe(key)
  })
})
