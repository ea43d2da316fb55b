import type { Alert, AlertCategory, Severity } from '@gangwan/contracts'

/** One labelled incident of a scenario's ground truth (simulators/src/scenarios/ground-truth.ts). */
export interface Truth {
  id: string
  type: string
  category: AlertCategory
  lifeSafety: boolean
  startMs: number
  endMs: number
  match: { devices?: string[], building?: string, zone?: string, elevator?: string, restaurant?: string, facade?: string }
  expect?: { ruleIds?: string[], severity?: Severity, floor?: number }
  forbid?: Pattern[]
  allow?: Pattern[]
}

/** An alert category, optionally narrowed to a severity and worse. */
interface Pattern { category: AlertCategory, severity?: Severity }

/** How an alert may lag its incident's end and still be explained by it (rules judge windows, e.g. an hour's Leq). */
export const EXPLAIN_GRACE_MS = 75 * 60_000
/** How early an alert may open before the labelled start (a rising reading crosses a threshold early). */
export const EARLY_MS = 60_000

/** Per-category figures. */
export interface CategoryScore {
  truths: number
  detected: number
  alerts: number
  truePositives: number
  recall: number | null
  precision: number | null
  /** Detection latency in measurement time, ms: first matching alert's `openedAt` − incident start. */
  latencyMs: { p50: number, max: number } | null
}

/** The result of scoring a run. */
export interface Score {
  categories: Partial<Record<AlertCategory, CategoryScore>>
  overall: { alerts: number, truePositives: number, precision: number | null, recall: number | null }
  lifeSafety: { truths: number, detected: number, recall: number | null }
  throws: { truths: number, withinOneFloor: number, share: number | null }
  missed: string[]
  falsePositives: { key: string, ruleId: string, subject: string, severity: Severity, openedAt: number }[]
}

const rank: Record<Severity, number> = { P1: 1, P2: 2, P3: 3, P4: 4 }

/**
 * Whether an alert is at the incident's place: every place field the truth gives must equal the
 * alert's where the alert has that field, and at least one must match.
 */
function where (a: Alert, t: Truth): boolean {
  const m = t.match
  const l = a.location
  let matched = false
  if (m.devices !== undefined && a.device !== undefined) {
    if (!m.devices.includes(a.device)) return false
    matched = true
  }
  if (m.building !== undefined) {
    if (l.building !== m.building) return false
    matched = true
  }
  for (const f of ['zone', 'elevator', 'restaurant', 'facade'] as const) {
    const want = m[f]
    const got = l[f]
    if (want === undefined || got === undefined) continue
    if (got !== want) return false
    matched = true
  }
  return matched
}

const fits = (a: Alert, p: Pattern): boolean => p.category === a.category && (p.severity === undefined || rank[a.severity] <= rank[p.severity])
/** An incident explains an alert of its own category, or one it allows, at its place and time, unless it forbids it. */
const explains = (t: Truth, a: Alert): boolean =>
  where(a, t) && during(a, t) && (a.category === t.category || (t.allow ?? []).some((p) => fits(a, p))) && !(t.forbid ?? []).some((p) => fits(a, p))

const during = (a: Alert, t: Truth): boolean => a.openedAt >= t.startMs - EARLY_MS && a.openedAt <= t.endMs + EXPLAIN_GRACE_MS
const detects = (a: Alert, t: Truth): boolean =>
  a.category === t.category && where(a, t) && during(a, t) &&
  (t.expect?.ruleIds === undefined || t.expect.ruleIds.some((r) => a.ruleId === r || a.ruleId.startsWith(`${r}.`))) &&
  (t.expect?.severity === undefined || rank[a.severity] <= rank[t.expect.severity])

function quantile (xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}

/**
 * Scores alerts against ground truth. An incident is **detected** when an alert of its category,
 * at its place (device, building, zone, elevator, restaurant or façade), opens within its time
 * (from 1 minute before its start to 75 minutes after its end) and meets its expected rule and
 * severity. An alert is a **true positive** when some incident (background events included)
 * explains it: its place and time, its category or one the incident allows (a dusty detector's P2
 * pre-alarm), and not one it forbids (a dusty detector must not confirm a fire). Every other alert
 * is a false positive. Background events are not counted for recall. A throw's origin is **within one floor** when the true floor lies in the
 * alert's estimated floor range widened by one floor each way.
 *
 * @example const s = scoreAlerts(alerts, truth); s.lifeSafety.recall === 1
 */
export function scoreAlerts (alerts: readonly Alert[], truth: readonly Truth[]): Score {
  return scoreRuns([{ alerts, truth }])
}

/**
 * Scores several runs (scenarios) together: alerts are matched only against their own run's
 * truth, and the counts add up.
 *
 * @example scoreRuns(runs.map((r) => ({ alerts: r.alerts, truth: r.truth })))
 */
export function scoreRuns (runs: readonly { alerts: readonly Alert[], truth: readonly Truth[] }[]): Score {
  const categories: Partial<Record<AlertCategory, CategoryScore>> = {}
  const cat = (c: AlertCategory): CategoryScore =>
    (categories[c] ??= { truths: 0, detected: 0, alerts: 0, truePositives: 0, recall: null, precision: null, latencyMs: null })
  const latencies = new Map<AlertCategory, number[]>()
  const missed: string[] = []
  let life = 0
  let lifeHit = 0
  let throws = 0
  let throwHits = 0

  const falsePositives: Score['falsePositives'] = []
  let alertCount = 0
  let truthCount = 0
  for (const { alerts, truth } of runs) {
    alertCount += alerts.length
    for (const t of truth) {
      if (t.type.startsWith('background_')) continue
      truthCount++
      const c = cat(t.category)
      c.truths++
      if (t.lifeSafety) life++
      const hits = alerts.filter((a) => detects(a, t))
      if (hits.length === 0) {
        missed.push(t.id)
        continue
      }
      c.detected++
      if (t.lifeSafety) lifeHit++
      const first = Math.min(...hits.map((a) => a.openedAt))
      latencies.set(t.category, [...(latencies.get(t.category) ?? []), Math.max(0, first - t.startMs)])
      if (t.category === 'falling_object' && t.expect?.floor !== undefined) {
        // Several throws may share a façade: judge the alert of this throw, the one nearest its start.
        throws++
        const f = t.expect.floor
        const own = hits.reduce((b, a) => Math.abs(a.openedAt - t.startMs) < Math.abs(b.openedAt - t.startMs) ? a : b)
        const r = own.location.floorRange
        if (r !== undefined && f >= r.from - 1 && f <= r.to + 1) throwHits++
      }
    }

    for (const a of alerts) {
      const c = cat(a.category)
      c.alerts++
      if (truth.some((t) => explains(t, a))) c.truePositives++
      else falsePositives.push({ key: a.key, ruleId: a.ruleId, subject: a.subject, severity: a.severity, openedAt: a.openedAt })
    }
  }
  for (const [k, c] of Object.entries(categories) as [AlertCategory, CategoryScore][]) {
    c.recall = c.truths > 0 ? c.detected / c.truths : null
    c.precision = c.alerts > 0 ? c.truePositives / c.alerts : null
    const l = latencies.get(k)
    c.latencyMs = l && l.length > 0 ? { p50: quantile(l, 0.5), max: Math.max(...l) } : null
  }
  const tp = alertCount - falsePositives.length
  const detected = truthCount - missed.length
  return {
    categories,
    overall: { alerts: alertCount, truePositives: tp, precision: alertCount > 0 ? tp / alertCount : null, recall: truthCount > 0 ? detected / truthCount : null },
    lifeSafety: { truths: life, detected: lifeHit, recall: life > 0 ? lifeHit / life : null },
    throws: { truths: throws, withinOneFloor: throwHits, share: throws > 0 ? throwHits / throws : null },
    missed,
    falsePositives
  }
}
