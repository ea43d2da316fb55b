import type { Logger } from 'pino'
import type { Community, Device, DeviceKind } from '@gangwan/contracts'
import type { DeviceCounts, DeviceDirectory, DeviceStatus } from '@gangwan/dashboard'
import type { Dispatch } from '@gangwan/dispatch'
import { queryInflux, type InfluxRow } from '@gangwan/ingest'
import { deviceState, statusEvidence, type LastHeard } from './device-status.ts'
import type { InfluxTarget } from './telemetry-history.ts'

/** What {@link createDeviceDirectory} needs. */
export interface DeviceDirectoryOptions {
  community: Community
  influx: InfluxTarget
  /** False alarms per device come from the incident metrics. */
  dispatch: Pick<Dispatch, 'metrics'>
  log: Logger
  /** Wall clock, epoch ms; default `Date.now`. */
  now?: () => number
  /** How long one reading of InfluxDB and dispatch serves every request, ms (default 10 s). */
  cacheMs?: number
  /** How far back the last message of each device is looked for, ms (default 24 h); older is `unknown`. */
  lookbackMs?: number
}

/** The latest time per tag value of `tag` among the rows (`time` is epoch ms). */
function latestBy (rows: InfluxRow[], tag: string, into = new Map<string, number>()): Map<string, number> {
  for (const r of rows) {
    const id = r[tag]
    if (typeof id !== 'string' || id === '' || typeof r.time !== 'number') continue
    into.set(id, Math.max(into.get(id) ?? r.time, r.time))
  }
  return into
}

/**
 * The device registry with status, over InfluxDB and dispatch. One snapshot is read at most every
 * `cacheMs` and shared by the requests meanwhile (a wall screen polls; 14,500 devices are a handful
 * of InfluxQL queries, not one per device): per device kind `SELECT last(seq) … GROUP BY device`,
 * the heartbeats `GROUP BY gateway, device`, the fire detectors' `last(batteryPct)` (the latest
 * reading that carried one), all within `lookbackMs`; and `dispatch.metrics({ groupBy: 'device' })`
 * for false alarms. Status follows {@link deviceState}. A failed read rejects (InfluxDB down:
 * `GW_ERR_INFLUX_UNAVAILABLE`, 503 at the API) and is not cached.
 *
 * @example const devices = createDeviceDirectory({ community, influx, dispatch, log }); await devices.summary()
 */
export function createDeviceDirectory (opts: DeviceDirectoryOptions): DeviceDirectory {
  const { community } = opts
  const now = opts.now ?? Date.now
  const cacheMs = opts.cacheMs ?? 10_000
  const lookbackMs = opts.lookbackMs ?? 86_400_000
  const health = community.analytics.health
  const kinds = [...new Set(community.devices.map((d) => d.kind))]
  const { url, database, username, password } = opts.influx
  const query = async (q: string): Promise<InfluxRow[]> => await queryInflux(url, database, q, { epoch: 'ms', username, password })
  const log = opts.log.child({ component: 'device-directory' })
  let cached: { at: number; snapshot: Promise<DeviceStatus[]> } | undefined

  async function read (at: number): Promise<DeviceStatus[]> {
    const since = `time >= ${at - lookbackMs}ms`
    const [perKind, beats, battery, metrics] = await Promise.all([
      Promise.all(kinds.map(async (k: DeviceKind) => await query(`SELECT last(seq) FROM "${k}" WHERE ${since} GROUP BY device`))),
      query(`SELECT last(seq) FROM "heartbeat" WHERE ${since} GROUP BY gateway, device`),
      kinds.includes('fire') ? query(`SELECT last(batteryPct) FROM "fire" WHERE ${since} GROUP BY device`) : Promise.resolve([]),
      opts.dispatch.metrics({ groupBy: 'device' })
    ])
    const seen = latestBy(beats, 'device', latestBy(perKind.flat(), 'device'))
    const gateways = latestBy(beats, 'gateway')
    const heard: LastHeard = { device: (id) => seen.get(id), gateway: (id) => gateways.get(id) }
    const batteryPct = new Map(battery.filter((r) => typeof r.last === 'number').map((r) => [String(r.device), r.last as number]))
    const falseAlarms = new Map(metrics.groups.map((g) => [g.key, g.falseAlarms]))
    return community.devices.map((d: Device) => {
      const s: DeviceStatus = {
        id: d.id, kind: d.kind, building: d.building,
        status: deviceState(statusEvidence(d, health, heard), health.offlineAfterMissed, at),
        falseAlarms: falseAlarms.get(d.id) ?? 0
      }
      if (d.kind === 'fire') { s.floor = d.floor; s.zone = d.zone }
      if (d.gateway !== undefined) s.gateway = d.gateway
      const last = seen.get(d.id)
      if (last !== undefined) s.lastSeenAt = last
      const pct = batteryPct.get(d.id)
      if (pct !== undefined) s.batteryPct = pct
      return s
    })
  }

  async function snapshot (): Promise<DeviceStatus[]> {
    const at = now()
    if (cached === undefined || at - cached.at >= cacheMs || at < cached.at) {
      const entry = { at, snapshot: read(at) }
      cached = entry
      entry.snapshot.catch((err: unknown) => {
        if (cached === entry) cached = undefined
        log.warn({ err }, 'device status could not be read')
      })
    }
    return await cached.snapshot
  }

  return {
    async list (q) {
      const all = (await snapshot()).filter((d) => (q.building === undefined || d.building === q.building) &&
        (q.kind === undefined || d.kind === q.kind) && (q.status === undefined || d.status === q.status))
      return { items: all.slice(q.offset, q.offset + q.limit), total: all.length }
    },
    async summary () {
      const out: Record<string, DeviceCounts> = Object.fromEntries(community.buildings.map((b) => [b.id, { online: 0, offline: 0, unknown: 0 }]))
      for (const d of await snapshot()) out[d.building]![d.status]++
      return out
    }
  }
}
