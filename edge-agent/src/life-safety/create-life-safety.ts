import type { Logger } from 'pino'
import type { Telemetry } from '@gangwan/contracts'
import type { Metrics } from '../observe/create-metrics.ts'
import type { RuntimeSettings } from '../config.ts'

/** A local sounder or relay (a Modbus coil, a device on the LAN). */
export interface SounderOutput {
  name: string
  set: (on: boolean) => Promise<void>
  close: () => Promise<void>
}

export interface LifeSafetyState {
  /** A fire alarm was seen and not reset. */
  latched: boolean
  sounding: boolean
  /** Devices that raised the alarm since the last reset. */
  devices: string[]
  silencedUntil: number
}

export interface LifeSafety {
  /** Sees every valid reading before it is spooled; a fire alarm switches the sounders at once. */
  observe: (deviceId: string, t: Telemetry) => void
  /** Silences the sounders for `durationS`; a new alarm from another device sounds them again (消音). */
  silence: (durationS: number) => void
  /** Clears the latched alarm and switches the sounders off (复位). */
  reset: () => void
  state: () => LifeSafetyState
  close: () => Promise<void>
}

/**
 * Local fire response that does not wait for the hub: a detector's alarm, a pressed call point, or
 * a smoke or heat value over the local thresholds switches every configured sounder on, whether
 * or not the uplink is up (GB 50116-2013 §4.8: the alarm sounds on a fire alarm signal). The alarm
 * latches until a `reset`; `silence` mutes it for a while.
 */
export function createLifeSafety (deps: { outputs: SounderOutput[], settings: () => RuntimeSettings, log: Logger, metrics: Metrics, now?: () => number }): LifeSafety {
  const now = deps.now ?? Date.now
  const devices = new Set<string>()
  let latched = false
  let sounding = false
  let silencedUntil = 0
  let timer: NodeJS.Timeout | undefined

  function drive (on: boolean): void {
    if (on === sounding) return
    sounding = on
    deps.metrics.inc('gangwan_edge_sounder_switches_total', { state: on ? 'on' : 'off' })
    deps.log.warn({ sounding: on, devices: [...devices] }, on ? 'local sounder ON' : 'local sounder off')
    for (const o of deps.outputs) {
      o.set(on).catch((err: unknown) => {
        deps.metrics.inc('gangwan_edge_errors_total', { code: 'sounder_failed' })
        deps.log.error({ err, output: o.name }, 'could not switch the local sounder')
      })
    }
  }

  function evaluate (): void {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined }
    const muted = silencedUntil > now()
    drive(latched && !muted)
    if (latched && muted) timer = setTimeout(evaluate, silencedUntil - now())
  }

  function isFire (t: Telemetry): boolean {
    if (t.kind !== 'fire') return false
    const s = deps.settings()
    return t.alarm || t.manualCall === true ||
      (t.smokeDbM !== undefined && t.smokeDbM >= s.smokeThresholdDbM) ||
      (t.temperatureC !== undefined && t.temperatureC >= s.heatThresholdC)
  }

  return {
    observe (deviceId, t) {
      if (!isFire(t)) return
      const isNew = !devices.has(deviceId)
      devices.add(deviceId)
      if (latched && !isNew) return
      latched = true
      // A new alarming device ends a silence: someone must hear about the spread.
      if (isNew) silencedUntil = 0
      evaluate()
    },
    silence (durationS) {
      silencedUntil = now() + durationS * 1000
      evaluate()
    },
    reset () {
      latched = false
      devices.clear()
      silencedUntil = 0
      evaluate()
    },
    state: () => ({ latched, sounding, devices: [...devices], silencedUntil }),
    async close () {
      if (timer !== undefined) clearTimeout(timer)
      await Promise.all(deps.outputs.map(async (o) => { await o.close() }))
    }
  }
}
