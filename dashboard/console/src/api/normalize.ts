import type {
  BuildingDeviceSummary, CommunityView, DeviceList, DeviceRow, DeviceStatus, IssuedCredentials, TelemetrySeries
} from './types.ts'

// The console's routes beyond dispatch (/community, /devices, /telemetry) are read through these
// functions: they accept the documented shape and the obvious wrappers of it, so a small change on
// the server side degrades a panel instead of breaking the page.

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

/** The first array found under one of `keys` (or the value itself when it is an array). */
function listOf (body: unknown, keys: readonly string[]): unknown[] {
  if (Array.isArray(body)) return body
  if (!isObj(body)) return []
  for (const k of keys) if (Array.isArray(body[k])) return body[k]
  return []
}

/** Epoch ms from a number (the API's times are epoch ms) or an ISO text. */
export function toEpochMs (v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string') {
    const t = Date.parse(v)
    return Number.isNaN(t) ? undefined : t
  }
  return undefined
}

/** `GET /community`: the community, bare or as `{ community }`; lists default to empty. */
export function normalizeCommunity (body: unknown): CommunityView | undefined {
  const c = isObj(body) && isObj(body.community) ? body.community : body
  if (!isObj(c) || !Array.isArray(c.buildings)) return undefined
  return {
    id: str(c.id) ?? '',
    name: str(c.name) ?? '',
    grids: arr(c.grids) as CommunityView['grids'],
    buildings: arr(c.buildings) as CommunityView['buildings'],
    departments: arr(c.departments) as CommunityView['departments'],
    restaurants: arr(c.restaurants) as CommunityView['restaurants'],
    elevators: arr(c.elevators) as CommunityView['elevators'],
    gateways: arr(c.gateways) as CommunityView['gateways']
  }
}

const STATUSES: readonly DeviceStatus[] = ['online', 'offline', 'unknown']

export function normalizeDevice (v: unknown): DeviceRow | undefined {
  if (!isObj(v)) return undefined
  const d = isObj(v.device) ? { ...v.device, ...v } : v
  const id = str(d.id)
  if (id === undefined) return undefined
  const status = str(d.status) as DeviceStatus | undefined
  const row: DeviceRow = {
    id,
    kind: str(d.kind) ?? 'gateway',
    status: status !== undefined && STATUSES.includes(status) ? status : 'unknown',
    falseAlarms: num(d.falseAlarms) ?? num(d.falseAlarmCount) ?? 0
  }
  const text = ['building', 'gateway', 'zone', 'facade', 'elevator', 'restaurant', 'model'] as const
  for (const k of text) { const s = str(d[k]); if (s !== undefined) row[k] = s }
  const floor = num(d.floor); if (floor !== undefined) row.floor = floor
  const seen = toEpochMs(d.lastSeenAt ?? d.lastSeen); if (seen !== undefined) row.lastSeenAt = seen
  const battery = num(d.batteryPct) ?? num(d.battery); if (battery !== undefined) row.batteryPct = battery
  return row
}

/** `GET /devices`: `{ items, total }` (or a bare list). */
export function normalizeDeviceList (body: unknown): DeviceList {
  const items = listOf(body, ['items', 'devices']).map(normalizeDevice).filter((d): d is DeviceRow => d !== undefined)
  const total = isObj(body) ? num(body.total) : undefined
  return { items, total: total ?? items.length }
}

/**
 * `GET /devices/summary`: per building online/offline/unknown, as a record keyed by building
 * (bare or under `buildings`/`summary`) or as a list of `{ building, online, offline, unknown }`.
 */
export function normalizeDeviceSummary (body: unknown): BuildingDeviceSummary[] {
  const counts = (building: string, c: unknown): BuildingDeviceSummary | undefined => (isObj(c)
    ? { building, online: num(c.online) ?? 0, offline: num(c.offline) ?? 0, unknown: num(c.unknown) ?? 0 }
    : undefined)
  const rows = listOf(body, ['items', 'buildings', 'summary'])
  if (rows.length > 0) {
    return rows.map((r) => (isObj(r) ? counts(str(r.building) ?? str(r.id) ?? '', r) : undefined))
      .filter((r): r is BuildingDeviceSummary => r !== undefined && r.building !== '')
  }
  const record = isObj(body) ? (isObj(body.buildings) ? body.buildings : isObj(body.summary) ? body.summary : body) : {}
  return Object.entries(record).map(([b, c]) => counts(b, c)).filter((r): r is BuildingDeviceSummary => r !== undefined)
}

/** `POST /devices/{id}/credentials`: every text or number field kept for display, the secret marked. */
export function normalizeCredentials (id: string, body: unknown): IssuedCredentials {
  const fields: Array<[string, string]> = []
  if (isObj(body)) {
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string' || typeof v === 'number') fields.push([k, String(v)])
    }
  }
  const secretField = ['secret', 'password', 'token'].find((k) => fields.some(([f]) => f === k))
  return { id: str(isObj(body) ? body.id : undefined) ?? id, fields, ...(secretField !== undefined ? { secretField } : {}) }
}

/** Fields that are bookkeeping rather than measurements. */
const NOT_MEASURED = new Set(['seq', 'ts', 'time', 'device', 'kind', 'building', 'grid'])

/**
 * `GET /telemetry`: `{ device, points: [{ ts, fields }] }` (also tolerated: flat points
 * `{ ts, smokeDbM, … }`, or `series: [{ field, points: [[t, v]] }]`) → one series per numeric
 * field (booleans as 0/1), in time order.
 */
export function normalizeTelemetry (device: string, body: unknown): TelemetrySeries[] {
  const byField = new Map<string, Array<[number, number]>>()
  const add = (field: string, t: number | undefined, v: unknown): void => {
    if (t === undefined || NOT_MEASURED.has(field)) return
    const value = typeof v === 'boolean' ? (v ? 1 : 0) : num(v)
    if (value === undefined) return
    let pts = byField.get(field)
    if (pts === undefined) byField.set(field, pts = [])
    pts.push([t, value])
  }
  const series = isObj(body) ? arr(body.series) : []
  for (const s of series) {
    if (!isObj(s)) continue
    const field = str(s.field) ?? str(s.name) ?? 'value'
    for (const p of arr(s.points ?? s.data)) {
      if (Array.isArray(p)) add(field, toEpochMs(p[0]), p[1])
      else if (isObj(p)) add(field, toEpochMs(p.ts ?? p.time), p.value)
    }
  }
  for (const p of listOf(body, ['points', 'items', 'rows'])) {
    if (!isObj(p)) continue
    const t = toEpochMs(p.ts ?? p.time ?? p.at ?? p.timestamp)
    const fields = isObj(p.fields) ? p.fields : p
    for (const [k, v] of Object.entries(fields)) add(k, t, v)
  }
  return [...byField.entries()].map(([field, points]) => ({ device, field, points: points.sort((a, b) => a[0] - b[0]) }))
}
