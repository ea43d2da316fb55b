/** The six closed-loop rates of DOMAIN.md §6, in the order the console shows them. */
export const RATE_KEYS = ['acceptanceRate', 'responseRate', 'onTimeClosureRate', 'closureRate', 'reworkRate', 'satisfactionRate'] as const
export type RateKey = (typeof RATE_KEYS)[number]

/** Mean times from dispatch, seconds. */
export const MEAN_TIME_KEYS = ['meanTimeToAcceptS', 'meanTimeToArriveS', 'meanTimeToCloseS'] as const
export type MeanTimeKey = (typeof MEAN_TIME_KEYS)[number]

/** A rate 0–1 as a percentage with one decimal; null (nothing to divide) stays null, a gap in a chart. */
export function percent (rate: number | null | undefined): number | null {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? null : Math.round(rate * 1000) / 10
}

/** Seconds as minutes with one decimal, null kept. */
export function minutes (s: number | null | undefined): number | null {
  return s === null || s === undefined || !Number.isFinite(s) ? null : Math.round(s / 6) / 10
}

/** The window of the last `days` days ending now, whole days in local time (epoch ms). */
export function lastDays (days: number, now: number): { from: number, to: number } {
  const end = new Date(now)
  end.setHours(24, 0, 0, 0)
  return { from: end.getTime() - days * 86_400_000, to: end.getTime() }
}
