import type { AlertCategory, Incident } from '@gangwan/contracts'
import { periodKey, type MetricsPeriod } from './period-key.ts'

/**
 * What to report: incidents created in [`from`, `to`) (epoch ms), narrowed to a category, grid or
 * department, grouped by one dimension. `period` buckets `createdAt` in the community's time zone
 * (default `month`). With `device`, an incident counts once for each of its devices.
 */
export interface MetricsQuery {
  groupBy?: 'none' | 'category' | 'department' | 'grid' | 'severity' | 'period' | 'device'
  period?: MetricsPeriod
  from?: number
  to?: number
  category?: AlertCategory
  grid?: string
  department?: string
}

/**
 * The closed-loop indicators of one group (DOMAIN.md §6; GB/T 30428 practice). Counts:
 * `dispatched` has `dispatchedAt`; `accepted` has `acceptedAt`, `acceptedOnTime` also never missed
 * the accept deadline; `arrived` / `arrivedOnTime` likewise with `arrivedAt` and the arrive step;
 * `resolved` has `resolvedAt` or is resolved, verified or closed; `closed` is closed,
 * `closedOnTime` also never missed the resolve deadline; `falseAlarms` are false alarms;
 * `reworked` went back at least once (`reworkCount` > 0); `rated` are closed with a satisfaction
 * answer, `satisfied` answered yes.
 *
 * Rates are fractions 0–1, null when the denominator is 0: 受理率 `acceptanceRate` = accepted ÷
 * dispatched; 响应率 `responseRate` = acceptedOnTime ÷ dispatched; 结案率 `closureRate` = (closed +
 * falseAlarms) ÷ incidents; 按期结案率 `onTimeClosureRate` = closedOnTime ÷ closed; 返工率
 * `reworkRate` = reworked ÷ incidents ever resolved (resolved now, or reworked: a rework follows a
 * resolution or a closure, so the rate stays ≤ 1); 满意率 `satisfactionRate` = satisfied ÷ rated.
 * Mean times in seconds from `dispatchedAt` to `acceptedAt`, `arrivedAt`, and `closedAt` (closed
 * incidents only), null when no incident has both.
 */
export interface MetricsGroup {
  key: string
  incidents: number
  dispatched: number
  accepted: number
  acceptedOnTime: number
  arrived: number
  arrivedOnTime: number
  resolved: number
  closed: number
  closedOnTime: number
  falseAlarms: number
  reworked: number
  rated: number
  satisfied: number
  acceptanceRate: number | null
  responseRate: number | null
  closureRate: number | null
  onTimeClosureRate: number | null
  reworkRate: number | null
  satisfactionRate: number | null
  meanTimeToAcceptS: number | null
  meanTimeToArriveS: number | null
  meanTimeToCloseS: number | null
}

/** The report: the query's grouping and range, the groups sorted by key, and the total over every incident counted once. */
export interface MetricsReport {
  groupBy: NonNullable<MetricsQuery['groupBy']>
  period?: MetricsPeriod
  from?: number
  to?: number
  groups: MetricsGroup[]
  total: MetricsGroup
}

const COUNTS = ['incidents', 'dispatched', 'accepted', 'acceptedOnTime', 'arrived', 'arrivedOnTime', 'resolved', 'closed', 'closedOnTime', 'falseAlarms', 'reworked', 'rated', 'satisfied'] as const
type Counts = Record<typeof COUNTS[number], number>
interface Tally extends Counts { everResolved: number; accept: number[]; arrive: number[]; close: number[] }

const NONE = '(none)'

function newTally (): Tally {
  const t = { everResolved: 0, accept: [], arrive: [], close: [] } as unknown as Tally
  for (const c of COUNTS) t[c] = 0
  return t
}

function add (t: Tally, i: Incident): void {
  const closed = i.status === 'closed'
  const resolved = i.resolvedAt !== undefined || i.status === 'resolved' || i.status === 'verified' || closed
  const flags: Counts = {
    incidents: 1,
    dispatched: i.dispatchedAt !== undefined ? 1 : 0,
    accepted: i.acceptedAt !== undefined ? 1 : 0,
    acceptedOnTime: i.acceptedAt !== undefined && !i.missed.includes('accept') ? 1 : 0,
    arrived: i.arrivedAt !== undefined ? 1 : 0,
    arrivedOnTime: i.arrivedAt !== undefined && !i.missed.includes('arrive') ? 1 : 0,
    resolved: resolved ? 1 : 0,
    closed: closed ? 1 : 0,
    closedOnTime: closed && !i.missed.includes('resolve') ? 1 : 0,
    falseAlarms: i.status === 'false_alarm' ? 1 : 0,
    reworked: i.reworkCount > 0 ? 1 : 0,
    rated: closed && i.satisfied !== undefined ? 1 : 0,
    satisfied: i.satisfied === true ? 1 : 0
  }
  for (const c of COUNTS) t[c] += flags[c]
  if (resolved || i.reworkCount > 0) t.everResolved++
  if (i.dispatchedAt !== undefined) {
    if (i.acceptedAt !== undefined) t.accept.push(i.acceptedAt - i.dispatchedAt)
    if (i.arrivedAt !== undefined) t.arrive.push(i.arrivedAt - i.dispatchedAt)
    if (closed && i.closedAt !== undefined) t.close.push(i.closedAt - i.dispatchedAt)
  }
}

const ratio = (n: number, d: number): number | null => d === 0 ? null : n / d
const meanS = (ms: readonly number[]): number | null => ms.length === 0 ? null : ms.reduce((a, b) => a + b, 0) / ms.length / 1000

function toGroup (key: string, t: Tally): MetricsGroup {
  const counts = Object.fromEntries(COUNTS.map((c) => [c, t[c]])) as Counts
  return {
    key,
    ...counts,
    acceptanceRate: ratio(t.accepted, t.dispatched),
    responseRate: ratio(t.acceptedOnTime, t.dispatched),
    closureRate: ratio(t.closed + t.falseAlarms, t.incidents),
    onTimeClosureRate: ratio(t.closedOnTime, t.closed),
    reworkRate: ratio(t.reworked, t.everResolved),
    satisfactionRate: ratio(t.satisfied, t.rated),
    meanTimeToAcceptS: meanS(t.accept),
    meanTimeToArriveS: meanS(t.arrive),
    meanTimeToCloseS: meanS(t.close)
  }
}

/**
 * Computes the closed-loop metrics (DOMAIN.md §6: 受理率, 响应率, 按期结案率, 结案率, 返工率,
 * 满意率, mean times; definitions on {@link MetricsGroup}) over incidents as they are now.
 * Incidents are filtered by `createdAt` ∈ [`from`, `to`), category, grid and department, then
 * grouped; incidents without a department or device fall in the group `(none)`.
 *
 * @example computeMetrics(incidents, { groupBy: 'period', period: 'day' }, { timezone: 'Asia/Shanghai' }).groups[0].key // '2025-11-22'
 */
export function computeMetrics (incidents: readonly Incident[], query: MetricsQuery, env: { timezone: string }): MetricsReport {
  const groupBy = query.groupBy ?? 'none'
  const period = query.period ?? 'month'
  const keysOf = (i: Incident): readonly string[] => {
    switch (groupBy) {
      case 'none': return ['all']
      case 'category': return [i.category]
      case 'department': return [i.department ?? NONE]
      case 'grid': return [i.location.grid]
      case 'severity': return [i.severity]
      case 'period': return [periodKey(i.createdAt, period, env.timezone)]
      case 'device': return i.devices.length > 0 ? i.devices : [NONE]
    }
  }
  const total = newTally()
  const tallies = new Map<string, Tally>()
  for (const i of incidents) {
    if ((query.from !== undefined && i.createdAt < query.from) || (query.to !== undefined && i.createdAt >= query.to)) continue
    if ((query.category !== undefined && i.category !== query.category) || (query.grid !== undefined && i.location.grid !== query.grid)) continue
    if (query.department !== undefined && i.department !== query.department) continue
    add(total, i)
    for (const key of new Set(keysOf(i))) {
      let t = tallies.get(key)
      if (t === undefined) tallies.set(key, t = newTally())
      add(t, i)
    }
  }
  const groups = [...tallies.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, t]) => toGroup(key, t))
  const report: MetricsReport = { groupBy, groups, total: toGroup('total', total) }
  if (groupBy === 'period') report.period = period
  if (query.from !== undefined) report.from = query.from
  if (query.to !== undefined) report.to = query.to
  return report
}
