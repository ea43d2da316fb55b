/**
 * Local wall-clock time of the community, for the diurnal curves (meal peaks, rush hours, the
 * GB 3096-2008 §3.4 day/night split). `hourOfDay` is fractional: 13.5 is 13:30 local time.
 */
export interface LocalClock {
  timezone: string
  /** Local hour of day in [0, 24). */
  hourOfDay: (epochMs: number) => number
  /** Local calendar date `YYYYMMDD` and time `HHMMSS`, for clip names and event ids. */
  stamp: (epochMs: number) => { date: string; time: string }
}

const HOUR_MS = 3_600_000

/**
 * Builds a {@link LocalClock} for an IANA time zone. The zone's UTC offset is looked up once per
 * UTC hour and cached, so thousands of devices can ask every step at the cost of a map lookup.
 *
 * @example createLocalClock('Asia/Shanghai').hourOfDay(Date.UTC(2025, 5, 2, 4, 30)) // 12.5
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
      const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
      off = asUtc - bucket * HOUR_MS
      if (offsets.size > 100_000) offsets.clear()
      offsets.set(bucket, off)
    }
    return off
  }
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0')
  return {
    timezone,
    hourOfDay: (ms) => {
      const local = ms + offsetAt(ms)
      return (((local % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS
    },
    stamp: (ms) => {
      const d = new Date(ms + offsetAt(ms))
      return {
        date: `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`,
        time: `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
      }
    }
  }
}

/** `HH:MM` as fractional hours. */
export function clockHours (hhmm: string): number {
  const [h, m] = hhmm.split(':')
  return Number(h) + Number(m) / 60
}
