import type { Community } from '@gangwan/contracts'
import { clockMinutes, inClockInterval, type LocalClock } from '../../core/local-clock.ts'

type Restaurant = Community['restaurants'][number]

/**
 * Whether a restaurant is open at a measurement time, from its `openingHours` in the community's
 * local time. An interval whose close is not after its open runs past midnight (17:00–02:00).
 *
 * @example const open = openingHours(restaurant, clock); open(msg.ts) // true at 12:00 for 10:30–14:00
 */
export function openingHours (restaurant: Restaurant, clock: LocalClock): (epochMs: number) => boolean {
  const intervals = restaurant.openingHours.map((i) => [clockMinutes(i.open), clockMinutes(i.close)] as const)
  return (ms) => {
    const m = clock.minuteOfDay(ms)
    return intervals.some(([open, close]) => inClockInterval(m, open, close))
  }
}
