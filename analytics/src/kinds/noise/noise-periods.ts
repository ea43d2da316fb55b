import { clockMinutes, inClockInterval, type LocalClock } from '../../core/local-clock.ts'

/** GB 3096-2008 §3.4 reference periods. */
export type NoisePeriod = 'day' | 'night'

/** A stretch of measurement time inside one period: [fromMs, toMs). */
export interface PeriodSpan {
  period: NoisePeriod
  fromMs: number
  toMs: number
}

/** Where an instant falls among the community's day and night periods. */
export interface NoisePeriods {
  /** The whole period containing `ms`. */
  at: (ms: number) => PeriodSpan
  /** The Leq window containing `ms`: windows of `windowMs` counted from the period's start, the last one cut at its end. */
  windowAt: (ms: number, windowMs: number) => PeriodSpan
}

const MINUTE_MS = 60_000
const DAY_MIN = 1440

/**
 * Day and night from the community's `noise` boundaries (GB 3096-2008 §3.4: day 06:00–22:00 unless
 * the city redefines it, e.g. night 23:00–07:00), in the community's local time. A window never
 * straddles a boundary, so each is judged against one period's limit. Period lengths are wall-clock
 * minutes (a daylight-saving change is not modelled; the default zone has none).
 *
 * @example createNoisePeriods(clock, { dayStart: '06:00', nightStart: '22:00' }).at(ts).period // 'night'
 */
export function createNoisePeriods (clock: LocalClock, boundaries: { dayStart: string, nightStart: string }): NoisePeriods {
  const day = clockMinutes(boundaries.dayStart)
  const night = clockMinutes(boundaries.nightStart)
  if (day === night) throw new RangeError(`noise dayStart and nightStart are both ${boundaries.dayStart}`)
  const mod = (a: number): number => ((a % DAY_MIN) + DAY_MIN) % DAY_MIN
  const at = (ms: number): PeriodSpan => {
    const m = clock.minuteOfDay(ms)
    const isDay = inClockInterval(m, day, night)
    const start = isDay ? day : night
    const end = isDay ? night : day
    // Boundaries are whole minutes, so rounding only removes floating-point dust.
    const fromMs = Math.round(ms - mod(m - start) * MINUTE_MS)
    return { period: isDay ? 'day' : 'night', fromMs, toMs: fromMs + mod(end - start) * MINUTE_MS }
  }
  return {
    at,
    windowAt: (ms, windowMs) => {
      const p = at(ms)
      const fromMs = p.fromMs + Math.floor((ms - p.fromMs) / windowMs) * windowMs
      return { period: p.period, fromMs, toMs: Math.min(fromMs + windowMs, p.toMs) }
    }
  }
}
