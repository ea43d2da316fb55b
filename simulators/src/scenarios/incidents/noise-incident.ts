import { hashSeed } from '../../rng.ts'
import { clockHours } from '../../local-clock.ts'
import { rainingAt, type NoiseInjection } from '../../kinds/noise.ts'
import { deviceOf, endOf, type IncidentContext, type IncidentHandler, type PreparedIncident } from './incident-context.ts'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
const mod = (a: number, n: number): number => ((a % n) + n) % n

/** Day or night at `t` and the Leq window holding it (GB 3096-2008 §3.4 periods; windows counted from the period's start). */
function windowAt (ctx: IncidentContext, t: number, windowMs: number): { night: boolean; fromMs: number; toMs: number } {
  const day = clockHours(ctx.community.noise.dayStart) * 3_600_000
  const night = clockHours(ctx.community.noise.nightStart) * 3_600_000
  const local = Math.round(ctx.clock.hourOfDay(t) * 3_600_000)
  const isDay = mod(local - day, DAY_MS) < mod(night - day, DAY_MS)
  const periodFrom = t - mod(local - (isDay ? day : night), DAY_MS)
  const periodTo = periodFrom + mod(isDay ? night - day : day - night, DAY_MS)
  const fromMs = periodFrom + Math.floor((t - periodFrom) / windowMs) * windowMs
  return { night: !isDay, fromMs, toMs: Math.min(fromMs + windowMs, periodTo) }
}

/** Which noise rules the forced minutes must raise, and the end of the last Leq window they raise. */
function expectedRules (inc: Parameters<IncidentHandler<'noise'>>[0], lmaxDb: number, limits: { day: number; night: number }, ctx: IncidentContext): { ruleIds: string[]; leqUntilMs: number } {
  const s = ctx.community.analytics.noise
  const sharedSeed = hashSeed(ctx.scenario.seed, `community:${ctx.community.id}`)
  // The meter's minutes end on the minute; a minute is forced when its end falls in (at, until].
  const minutes: number[] = []
  for (let t = Math.floor(inc.atMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS; t <= Math.min(inc.untilMs, ctx.scenario.endMs); t += MINUTE_MS) minutes.push(t)
  const nightMinutes = minutes.filter((t) => windowAt(ctx, t - 1, s.leqWindowMs).night).length
  const ruleIds: string[] = []
  // GB 3096-2008 §5.4 sudden / GB 12348-2008 §4.1 frequent night noise; forced Lmax is never below lmaxDb.
  if (nightMinutes > 0 && lmaxDb > limits.night + s.suddenExcessDb) ruleIds.push('noise.night-sudden')
  if (nightMinutes >= s.frequentCount && lmaxDb > limits.night + s.frequentExcessDb) ruleIds.push('noise.night-frequent')
  const windows = new Map<number, { toMs: number; night: boolean; forced: number }>()
  for (const t of minutes) {
    const w = windowAt(ctx, t - 1, s.leqWindowMs)
    const seen = windows.get(w.fromMs) ?? { toMs: w.toMs, night: w.night, forced: 0 }
    seen.forced++
    windows.set(w.fromMs, seen)
  }
  let leqUntilMs = -Infinity
  for (const [fromMs, w] of windows) {
    // A window is judged when the next minute arrives: it must end inside the run.
    if (w.toMs + MINUTE_MS > ctx.scenario.endMs) continue
    const total = (w.toMs - fromMs) / MINUTE_MS
    let valid = w.forced
    for (let t = fromMs + MINUTE_MS; t <= w.toMs; t += MINUTE_MS) if (t <= inc.atMs || t > inc.untilMs) valid += rainingAt(sharedSeed, t) ? 0 : 1
    // Lower bound of the window's Leq: the forced minutes alone (leqDb − 0.5) over every valid minute.
    const leqAtLeast = inc.leqDb - 0.5 + 10 * Math.log10(w.forced / Math.min(valid, total))
    if (valid / total >= s.minValidFraction && leqAtLeast > (w.night ? limits.night : limits.day)) leqUntilMs = Math.max(leqUntilMs, w.toMs)
  }
  if (leqUntilMs > -Infinity) ruleIds.unshift('noise.leq')
  return { ruleIds, leqUntilMs }
}

/**
 * A noise source by `device` (a KTV, a building site) from `at` for `for`: one-minute Leq within
 * ±0.5 dB of `leqDb` and Lmax 0–2 dB over `lmaxDb` (default Leq + 10), minutes forced valid and
 * free of the model's own loud events. The expected rules follow from the meter's GB 3096-2008
 * zone class limits (`analytics.noise`): an hourly Leq window pushed over its limit, night Lmax over
 * the night limit + 15 dB (sudden) or + 10 dB in several minutes (frequent). Fails if none would fire.
 *
 * @example noiseIncident(ktv, ctx).truth.expect?.ruleIds // ['noise.leq', 'noise.night-sudden', 'noise.night-frequent']
 */
export const noiseIncident: IncidentHandler<'noise'> = (inc, ctx): PreparedIncident => {
  const d = deviceOf(ctx, inc.device, 'noise')
  const b = ctx.community.buildings.find((x) => x.id === d.building)!
  const zoneClass = d.zoneClass ?? ctx.community.grids.find((g) => g.id === b.grid)!.zoneClass
  const limits = ctx.community.analytics.noise.limits[zoneClass]
  const lmaxDb = inc.lmaxDb ?? Math.min(160, inc.leqDb + 10)
  if (lmaxDb < inc.leqDb) ctx.fail('lmaxDb', `must not be below leqDb ${inc.leqDb}`)
  const { ruleIds, leqUntilMs } = expectedRules(inc, lmaxDb, limits, ctx)
  if (ruleIds.length === 0) {
    ctx.fail('leqDb', `breaks no limit of zone class ${zoneClass} (Leq day ${limits.day} / night ${limits.night} dB(A), night Lmax + ${ctx.community.analytics.noise.suddenExcessDb} dB) within the run`)
  }
  const injection: NoiseInjection = { fromMs: inc.atMs, untilMs: inc.untilMs, leqDb: inc.leqDb, lmaxDb, events: false, valid: true }
  return {
    injections: [{ deviceId: d.id, injection }],
    faults: [],
    truth: {
      id: inc.id,
      type: 'noise',
      category: 'noise',
      lifeSafety: false,
      startMs: inc.atMs,
      // An hourly Leq is judged at its window's end, which may come after the noise stops.
      endMs: Math.max(endOf(inc, ctx), leqUntilMs),
      match: { building: d.building, devices: [d.id] },
      expect: { ruleIds, severity: ruleIds.some((r) => r.startsWith('noise.night')) ? 'P3' : 'P4' }
    }
  }
}
