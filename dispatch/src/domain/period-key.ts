/** Calendar buckets metrics can be grouped by. */
export type MetricsPeriod = 'day' | 'week' | 'month'

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The calendar date of an instant in a time zone (IANA name; a bad one throws RangeError). */
function localDate (ms: number, timezone: string): { year: number; month: number; day: number } {
  let f = formatters.get(timezone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' })
    formatters.set(timezone, f)
  }
  const parts = f.formatToParts(ms)
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value)
  return { year: get('year'), month: get('month'), day: get('day') }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
const DAY_MS = 86_400_000

/**
 * The bucket of an instant (epoch ms) in the community's time zone: `YYYY-MM-DD` for a day,
 * the ISO 8601 week `YYYY-Www` (weeks start on Monday; week 1 holds the year's first Thursday),
 * `YYYY-MM` for a month. Reports follow the local calendar, so an incident at 23:30 UTC on
 * 31 January counts in February in Asia/Shanghai (UTC+8).
 *
 * @example periodKey(Date.UTC(2025, 0, 31, 23, 30), 'month', 'Asia/Shanghai') // '2025-02'
 */
export function periodKey (ms: number, period: MetricsPeriod, timezone: string): string {
  const { year, month, day } = localDate(ms, timezone)
  if (period === 'month') return `${year}-${pad(month)}`
  if (period === 'day') return `${year}-${pad(month)}-${pad(day)}`
  // ISO 8601 week: the week's Thursday decides its year.
  const date = Date.UTC(year, month - 1, day)
  const weekday = (new Date(date).getUTCDay() + 6) % 7
  const thursday = new Date(date + (3 - weekday) * DAY_MS)
  const isoYear = thursday.getUTCFullYear()
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS))
  return `${isoYear}-W${pad(week)}`
}
