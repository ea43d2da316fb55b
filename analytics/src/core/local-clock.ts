const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/**
 * The community's local wall clock on measurement time (never the host's clock or zone): GB 3096-2008
 * §3.4 day/night periods, restaurant opening hours and per-day purifier uptime are all local.
 */
export interface LocalClock {
  timezone: string
  /** Local minute of the day in [0, 1440), fractional: 810.5 is 13:30:30. */
  minuteOfDay: (epochMs: number) => number
  /** Epoch ms of the local midnight that starts the day containing `epochMs`. */
  startOfDay: (epochMs: number) => number
  /** Epoch ms of the next local midnight after `epochMs`. */
  endOfDay: (epochMs: number) => number
  /** Local calendar date `YYYY-MM-DD`. */
  dayKey: (epochMs: number) => string
}

/**
 * Builds a {@link LocalClock} for an IANA time zone (the community file's `timezone`). The zone's UTC
 * offset is looked up with Intl once per UTC hour and cached; a zone with daylight saving is right to
 * the hour, which is all these rules need. An unknown zone throws a RangeError at once.
 *
 * @example createLocalClock('Asia/Shanghai').minuteOfDay(Date.UTC(2025, 5, 2, 14, 0)) // 1320 (22:00)
 */
export function createLocalClock (timezone: string): LocalClock {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
  })
  const offsets = new Map<number, number>()
  const offsetAt = (ms: number): number => {
    const bucket = Math.floor(ms / HOUR_MS)
    let off = offsets.get(bucket)
    if (off === undefined) {
      const p = Object.fromEntries(fmt.formatToParts(new Date(bucket * HOUR_MS)).map((x) => [x.type, x.value]))
      off = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - bucket * HOUR_MS
      if (offsets.size > 10_000) offsets.clear()
      offsets.set(bucket, off)
    }
    return off
  }
  const localMs = (ms: number): number => ms + offsetAt(ms)
  const mod = (a: number, n: number): number => ((a % n) + n) % n
  const startOfDay = (ms: number): number => ms - mod(localMs(ms), DAY_MS)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return {
    timezone,
    minuteOfDay: (ms) => mod(localMs(ms), DAY_MS) / MINUTE_MS,
    startOfDay,
    // A local day lasts 23–25 h, so 26 h after its start always lies in the next one.
    endOfDay: (ms) => startOfDay(startOfDay(ms) + DAY_MS + 2 * HOUR_MS),
    dayKey: (ms) => {
      const d = new Date(localMs(ms))
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
    }
  }
}

/**
 * `HH:MM` as minutes after midnight.
 *
 * @example clockMinutes('22:30') // 1350
 */
export function clockMinutes (hhmm: string): number {
  const [h, m] = hhmm.split(':')
  return Number(h) * 60 + Number(m)
}

/**
 * Whether local minute `m` lies in `[from, to)`; `to <= from` wraps past midnight (22:00–06:00).
 *
 * @example inClockInterval(30, 1320, 360) // true: 00:30 is inside 22:00–06:00
 */
export function inClockInterval (m: number, from: number, to: number): boolean {
  return from < to ? m >= from && m < to : m >= from || m < to
}
