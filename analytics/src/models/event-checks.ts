import type { DeviceKind, ElevatorTelemetry, FireTelemetry, FumeTelemetry, NoiseTelemetry, TelemetryOf } from '@gangwan/contracts'
import type { DeviceContext } from '../core/context.ts'
import { createLocalClock } from '../core/local-clock.ts'
import { createNoisePeriods, type NoisePeriods } from '../kinds/noise/noise-periods.ts'
import { zoneClassOf } from '../kinds/noise/noise-analyzer.ts'

/**
 * Whether a window of one device's telemetry holds a real event that its kind's rules judge: a
 * detector in alarm, fume over the limit, noise over its zone's limit, a passenger shut in a
 * stopped car. An anomaly model judges sensors; such readings are the world changing, not the
 * sensor failing, and a model trained on fault-free and faulty sensors in ordinary conditions
 * calls them drift or spikes. The rules alert on the event; the model's sensor-fault classes
 * neither raise nor clear on a window holding one, and judge again once the window has slid past it.
 */
export interface EventCheck<K extends DeviceKind, Q> {
  /** Looks up once what the check needs of a device (its levels from the site settings). */
  prepare: (dev: DeviceContext<K>) => Q
  holds: (msgs: readonly TelemetryOf<K>[], q: Q) => boolean
}

interface FireLevels { smokeDbM: number, heatC: number }

/** GB 4715-2024 §5.7 smoke pre-alarm, the class's GB 4716 static response, the detector's own alarm or a call point. */
const fire: EventCheck<'fire', FireLevels> = {
  prepare: (dev) => ({
    smokeDbM: dev.settings.fire.smokeDbM,
    heatC: dev.settings.fire.fixedTemperatureC[dev.device.heatClass ?? dev.settings.fire.defaultHeatClass]
  }),
  holds: (msgs: readonly FireTelemetry[], q) => msgs.some((m) =>
    m.alarm || m.manualCall === true || (m.smokeDbM ?? 0) >= q.smokeDbM || (m.temperatureC ?? -Infinity) >= q.heatC)
}

/** GB 18483-2001 emission limit of the restaurant, or its fan running with the purifier off (illegal discharge). */
const fume: EventCheck<'fume', { limitMgM3: number }> = {
  prepare: (dev) => ({ limitMgM3: dev.community.restaurants.find((r) => r.id === dev.device.restaurant)?.fumeLimitMgM3 ?? Infinity }),
  holds: (msgs: readonly FumeTelemetry[], q) => msgs.some((m) => m.fumeMgM3 > q.limitMgM3 || (m.fanOn && !m.purifierOn))
}

interface NoiseLevels { periods: NoisePeriods, day: number, night: number, sudden: number, frequent: number, frequentCount: number }

/**
 * Noise the rules judge: the window's Leq (energy average of its valid minutes, each against the
 * GB 3096-2008 Table 1 limit of its own period) over the limit, a night Lmax over the limit +
 * `suddenExcessDb` (§5.4), or `frequentCount` night minutes over it + `frequentExcessDb`
 * (GB 12348-2008 §4.1). A single loud minute in a compliant hour is ordinary.
 */
const noise: EventCheck<'noise', NoiseLevels> = {
  prepare: (dev) => {
    const s = dev.settings.noise
    const limits = s.limits[zoneClassOf(dev)]
    return {
      periods: createNoisePeriods(createLocalClock(dev.community.timezone), dev.community.noise),
      day: limits.day,
      night: limits.night,
      sudden: limits.night + s.suddenExcessDb,
      frequent: limits.night + s.frequentExcessDb,
      frequentCount: s.frequentCount
    }
  },
  holds: (msgs: readonly NoiseTelemetry[], q) => {
    let energy = 0
    let valid = 0
    let frequent = 0
    for (const m of msgs) {
      if (!m.valid) continue
      const night = q.periods.at(m.ts).period === 'night'
      if (night && m.lmax > q.sudden) return true
      if (night && m.lmax > q.frequent && ++frequent >= q.frequentCount) return true
      energy += 10 ** (0.1 * (m.leq - (night ? q.night : q.day)))
      valid++
    }
    return valid > 0 && energy / valid > 1
  }
}

interface LiftLevels { trappedAfterMs: number, stoppedSpeedMps: number }

/**
 * GB/T 24476-2017 events: fault codes, a mode other than normal, a car standing outside the door
 * zone, or one standing with the door shut and a passenger inside for `trappedAfterMs` (trapped).
 */
const elevator: EventCheck<'elevator', LiftLevels> = {
  prepare: (dev) => ({ trappedAfterMs: dev.settings.elevator.trappedAfterMs, stoppedSpeedMps: dev.settings.elevator.stoppedSpeedMps }),
  holds: (msgs: readonly ElevatorTelemetry[], q) => {
    let shutSince: number | undefined
    for (const m of msgs) {
      if (m.faultCodes.length > 0 || m.mode !== 'normal') return true
      const standing = m.direction === 'stop' && m.speedMps <= q.stoppedSpeedMps
      if (standing && !m.inDoorZone) return true
      if (standing && m.door === 'closed' && m.passenger) {
        shutSince ??= m.ts
        if (m.ts - shutSince >= q.trappedAfterMs) return true
      } else shutSince = undefined
    }
    return false
  }
}

/** The event check of each kind that has one (camera tracks are events themselves). */
export const EVENT_CHECKS: { readonly [K in DeviceKind]?: EventCheck<K, unknown> } = {
  fire: fire as EventCheck<'fire', unknown>,
  fume: fume as EventCheck<'fume', unknown>,
  noise: noise as EventCheck<'noise', unknown>,
  elevator: elevator as EventCheck<'elevator', unknown>
}
