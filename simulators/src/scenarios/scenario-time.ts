import { createLocalClock } from '../local-clock.ts'
import { parseDuration } from '../runner/parse-duration.ts'

const DAY_MS = 86_400_000
const RELATIVE = /^\+(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$/
const CLOCK = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/
// An ISO 8601 time must say its offset: without one, Date.parse would use the machine's zone.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/**
 * Parses an ISO 8601 time that carries its UTC offset (`2026-11-23T09:00:00+08:00`, `…Z`) into
 * epoch ms; undefined when the text is not one.
 *
 * @example parseIsoTime('2026-11-23T09:00:00+08:00') // 1763859600000
 */
export function parseIsoTime (text: string): number | undefined {
  const t = text.trim()
  if (!ISO_WITH_OFFSET.test(t)) return undefined
  const ms = Date.parse(t)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * Resolves a scenario time to epoch ms, or undefined when the text is none of the forms:
 * - `+HH:MM` or `+HH:MM:SS` after the start (`+00:20`), or `+` and a duration (`+90s`, `+1h30m`);
 * - `HH:MM` or `HH:MM:SS`: that local clock time in the community's `timezone`, the first one at or
 *   after the start (so `23:30` on a run starting at 21:00 is the same evening, `01:00` the next morning);
 * - an ISO 8601 time with its offset.
 *
 * @example resolveScenarioTime('+00:20', start, 'Asia/Shanghai') // start + 1_200_000
 */
export function resolveScenarioTime (text: string, startMs: number, timezone: string): number | undefined {
  const t = text.trim()
  const rel = RELATIVE.exec(t)
  if (rel !== null) return startMs + ((Number(rel[1]) * 60 + Number(rel[2])) * 60 + Number(rel[3] ?? 0)) * 1000
  if (t.startsWith('+')) {
    const ms = parseDuration(t.slice(1))
    return ms === undefined ? undefined : startMs + ms
  }
  const clock = CLOCK.exec(t)
  if (clock !== null) {
    const target = ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3] ?? 0)) * 1000
    // The local time of day at the start, to the millisecond (hourOfDay is fractional hours).
    const local = Math.round(createLocalClock(timezone).hourOfDay(startMs) * 3_600_000)
    return startMs + ((((target - local) % DAY_MS) + DAY_MS) % DAY_MS)
  }
  return parseIsoTime(t)
}

/**
 * A positive scenario duration (`30s`, `10m`, `1h30m`, a bare number of seconds) in ms, or undefined.
 *
 * @example parseScenarioDuration('1h30m') // 5_400_000
 */
export function parseScenarioDuration (text: string): number | undefined {
  const ms = parseDuration(text)
  return ms !== undefined && ms > 0 ? ms : undefined
}
