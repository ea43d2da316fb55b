import { DEVICE_KINDS, TelemetrySchema, type Community, type DeviceKind } from '@gangwan/contracts'
import type { StoredTelemetry } from '../classify/create-classifier.ts'
import { queryInflux, type InfluxRow, type QueryOptions } from '../influx/query-influx.ts'

/** Options of {@link readRecentTelemetry}. */
export interface ReadRecentOptions extends Pick<QueryOptions, 'username' | 'password'> {
  url: string
  database: string
  community: Community
  /** How far back from the latest stored measurement, ms. */
  lookbackMs: number
  /** Upper bound on rows read per kind, so a replay stays bounded. */
  maxRowsPerKind?: number
}

/** What a replay read: telemetry in measurement-time order, and rows it could not turn back into telemetry. */
export interface RecentTelemetry {
  telemetry: StoredTelemetry[]
  /** The latest measurement time stored (epoch ms), undefined when nothing is. */
  latestMs: number | undefined
  skipped: number
}

// Summary fields ingest adds for queries (falling_object); they are not part of the message.
const DERIVED: Partial<Record<DeviceKind, readonly string[]>> = { falling_object: ['points', 'startH', 'endH', 'durationS'] }
const TAGS = new Set(['time', 'device', 'building', 'grid', 'facade'])

/** Turns one stored row back into the message's fields (the inverse of the kind's line mapping). */
function fields (kind: DeviceKind, row: InfluxRow): Record<string, unknown> {
  const out: Record<string, unknown> = { kind, ts: row.time }
  for (const [k, v] of Object.entries(row)) {
    if (TAGS.has(k) || v === null || DERIVED[kind]?.includes(k)) continue
    out[k] = v
  }
  if (kind === 'elevator') out.faultCodes = typeof out.faultCodes === 'string' && out.faultCodes !== '' ? out.faultCodes.split(',') : []
  if (kind === 'falling_object') {
    out.trajectory = typeof out.trajectory === 'string' ? JSON.parse(out.trajectory) as unknown : out.trajectory
    out.building = row.building
    out.facade = row.facade
  }
  return out
}

/**
 * Reads back the telemetry of the last `lookbackMs` of measurement time from InfluxDB, every kind
 * merged in time order: what analytics replays at start to rebuild its windows and re-derive any
 * alert a crash kept from reaching the dispatch queue. Point times are `ts` ms plus `seq mod 1e6`
 * ns, so `epoch=ms` gives each message's `ts` back exactly. Each row is validated again with its
 * schema; one that does not parse is counted in `skipped`.
 *
 * @example const { telemetry } = await readRecentTelemetry({ url, database, community, lookbackMs: 900_000 })
 */
export async function readRecentTelemetry (o: ReadRecentOptions): Promise<RecentTelemetry> {
  const q = { epoch: 'ms' as const, username: o.username, password: o.password }
  const last = await Promise.all(DEVICE_KINDS.map(async (k) => (await queryInflux(o.url, o.database, `SELECT last(seq) FROM "${k}"`, q))[0]?.time))
  const times = last.filter((t): t is number => typeof t === 'number')
  if (times.length === 0) return { telemetry: [], latestMs: undefined, skipped: 0 }
  const latestMs = Math.max(...times)
  const since = latestMs - o.lookbackMs
  const devices = new Map(o.community.devices.map((d) => [d.id, d]))
  const buildings = new Map(o.community.buildings.map((b) => [b.id, b.grid]))
  const telemetry: StoredTelemetry[] = []
  let skipped = 0
  for (const kind of DEVICE_KINDS) {
    const rows = await queryInflux(o.url, o.database, `SELECT * FROM "${kind}" WHERE time >= ${since}ms GROUP BY * ORDER BY time LIMIT ${o.maxRowsPerKind ?? 1_000_000}`, q)
    for (const row of rows) {
      const d = devices.get(String(row.device))
      const r = TelemetrySchema.safeParse(fields(kind, row))
      if (d === undefined || !r.success) { skipped++; continue }
      telemetry.push({ type: 'telemetry', device: d.id, gateway: d.gateway ?? d.id, kind, building: d.building, grid: buildings.get(d.building) ?? '', msg: r.data, receivedAt: 0 })
    }
  }
  telemetry.sort((a, b) => a.msg.ts - b.msg.ts || a.msg.seq - b.msg.seq)
  return { telemetry, latestMs, skipped }
}
