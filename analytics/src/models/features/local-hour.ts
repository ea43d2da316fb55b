const HOUR_MS = 3_600_000

/**
 * Local hour of day in [0, 24) for an IANA time zone. The zone's UTC offset is looked up once per
 * UTC hour and cached, so the noise features can ask every window at the cost of a map lookup.
 *
 * @example createLocalHour('Asia/Shanghai')(Date.UTC(2025, 5, 2, 4, 30)) // 12.5
 */
export function createLocalHour (timezone: string): (epochMs: number) => number {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })
  const offsets = new Map<number, number>()
  return (ms) => {
    const bucket = Math.floor(ms / HOUR_MS)
    let off = offsets.get(bucket)
    if (off === undefined) {
      const p = Object.fromEntries(fmt.formatToParts(new Date(bucket * HOUR_MS)).map((x) => [x.type, x.value]))
      // Offset of local wall time from UTC at the top of this UTC hour, in whole minutes.
      const localMin = Number(p.hour) * 60 + Number(p.minute)
      const utcMin = new Date(bucket * HOUR_MS).getUTCHours() * 60
      off = ((localMin - utcMin) % 1440 + 1440) % 1440
      if (offsets.size > 10_000) offsets.clear()
      offsets.set(bucket, off)
    }
    const minutes = (ms / 60_000 + off) % 1440
    return (minutes < 0 ? minutes + 1440 : minutes) / 60
  }
}
