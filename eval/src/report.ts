import type { Score } from './score-alerts.ts'

/** Issue 3's targets. */
export const TARGETS = Object.freeze({ lifeSafetyRecall: 1, precision: 0.95, throwsWithinOneFloor: 0.9 })

const pct = (x: number | null): string => x === null ? '   –  ' : `${(x * 100).toFixed(1).padStart(5)} %`

/**
 * The score as a table per category: incidents, detected, alerts, true positives, recall,
 * precision, detection latency (measurement time).
 *
 * @example process.stderr.write(formatScore(score))
 */
export function formatScore (s: Score): string {
  const lines = ['category        incidents detected  alerts    TP  recall   precision  latency p50 / max']
  for (const [k, c] of Object.entries(s.categories)) {
    const lat = c.latencyMs === null ? '–' : `${Math.round(c.latencyMs.p50 / 1000)} s / ${Math.round(c.latencyMs.max / 1000)} s`
    lines.push(`${k.padEnd(15)} ${String(c.truths).padStart(9)} ${String(c.detected).padStart(8)} ${String(c.alerts).padStart(7)} ${String(c.truePositives).padStart(5)}  ${pct(c.recall)}  ${pct(c.precision)}  ${lat}`)
  }
  lines.push(`overall: precision ${pct(s.overall.precision)}, recall ${pct(s.overall.recall)}; life safety recall ${pct(s.lifeSafety.recall)} (${s.lifeSafety.detected}/${s.lifeSafety.truths}); throws within ±1 floor ${pct(s.throws.share)} (${s.throws.withinOneFloor}/${s.throws.truths})`)
  if (s.missed.length > 0) lines.push(`missed: ${s.missed.join(', ')}`)
  for (const f of s.falsePositives.slice(0, 20)) lines.push(`false: ${f.ruleId} ${f.subject} ${f.severity} at ${new Date(f.openedAt).toISOString()}`)
  if (s.falsePositives.length > 20) lines.push(`… and ${s.falsePositives.length - 20} more false positives`)
  return lines.join('\n')
}

/**
 * What the score misses of issue 3's targets, one line each (empty: all met).
 *
 * @example if (checkTargets(score).length > 0) process.exitCode = 1
 */
export function checkTargets (s: Score): string[] {
  const out: string[] = []
  if (s.lifeSafety.truths === 0 || (s.lifeSafety.recall ?? 0) < TARGETS.lifeSafetyRecall) out.push(`life-safety recall ${pct(s.lifeSafety.recall)} < 100 %`)
  if ((s.overall.precision ?? 0) < TARGETS.precision) out.push(`precision ${pct(s.overall.precision)} < 95 %`)
  if (s.throws.truths === 0 || (s.throws.share ?? 0) < TARGETS.throwsWithinOneFloor) out.push(`throws within ±1 floor ${pct(s.throws.share)} < 90 %`)
  return out
}
