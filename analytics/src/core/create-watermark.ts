/** The community's measurement clock. */
export interface Watermark {
  /** Records a device's measurement time; returns the clock after it. */
  advance: (device: string, ts: number) => number
  readonly now: number
}

/**
 * The community's measurement clock, which the timers of silent devices (a trapped passenger, an
 * offline detector) run on, so a replay 60× faster expires them at the same simulated moments.
 *
 * It follows the latest `ts` seen while each step is at most `maxLeadMs` (a quiet community with
 * one reporting device still moves on). A device that jumps further ahead (its clock runs fast)
 * does not move it: a jump is taken only once `k` distinct devices (fewer while fewer have been
 * seen) are all that far ahead, as when a whole community's data resumes after a gap; the clock
 * then goes to the earliest of them. It never goes back.
 *
 * @example const w = createWatermark(); w.advance('B01-F12-S01', msg.ts)
 */
export function createWatermark (k = 3, maxLeadMs = 300_000): Watermark {
  let now = 0
  const seen = new Set<string>()
  /** Devices reporting beyond the allowed lead: their latest such `ts`. */
  const ahead = new Map<string, number>()
  return {
    get now () { return now },
    advance (device, ts) {
      if (seen.size < k) seen.add(device)
      if (ts <= now) return now
      if (now > 0 && ts - now <= maxLeadMs) {
        now = ts
        for (const [d, t] of ahead) if (t - now <= maxLeadMs) ahead.delete(d)
        return now
      }
      ahead.set(device, ts)
      if (ahead.size >= Math.min(k, seen.size)) {
        now = Math.min(...ahead.values())
        for (const [d, t] of ahead) if (t - now <= maxLeadMs) ahead.delete(d)
      }
      return now
    }
  }
}
