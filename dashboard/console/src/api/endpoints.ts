import type { Incident, IncidentAction } from '@gangwan/contracts'
import { request } from './http.ts'
import {
  normalizeCommunity, normalizeCredentials, normalizeDeviceList, normalizeDeviceSummary, normalizeTelemetry
} from './normalize.ts'
import type {
  BuildingDeviceSummary, CommunityView, DeviceList, IncidentDetail, IncidentList, IssuedCredentials, LoginResponse,
  MeResponse, MetricsQuery, MetricsReport, QueueIncident, TelemetrySeries
} from './types.ts'

/** Typed calls of the dashboard's HTTP API (dashboard/README.md, docs/console.md). */

export async function login (username: string, password: string): Promise<LoginResponse> {
  return await request<LoginResponse>('/auth/login', { method: 'POST', body: { username, password }, quiet401: true })
}

export async function logout (): Promise<void> {
  await request<undefined>('/auth/logout', { method: 'POST', quiet401: true })
}

export async function me (): Promise<MeResponse> {
  return await request<MeResponse>('/auth/me', { quiet401: true })
}

export interface IncidentListQuery {
  status?: readonly string[]
  open?: boolean
  category?: readonly string[]
  grid?: readonly string[]
  department?: readonly string[]
  building?: string
  createdFrom?: number
  /** `queue`: the queue's own order (severity, then SLA deadline, then creation). */
  sort?: 'createdAt' | 'updatedAt' | 'severity' | 'dueAt' | 'queue'
  order?: 'asc' | 'desc'
  limit?: number
  offset?: number
}

export async function listIncidents (q: IncidentListQuery, signal?: AbortSignal): Promise<IncidentList> {
  return await request<IncidentList>('/incidents', { query: { ...q }, ...(signal !== undefined ? { signal } : {}) })
}

/**
 * `GET /incidents?view=queue`: only the fields the queue shows, filters and sorts on (about half
 * the bytes of whole incidents); the detail page reads the whole incident with {@link getIncident}.
 */
export async function listQueue (q: IncidentListQuery, signal?: AbortSignal): Promise<IncidentList<QueueIncident>> {
  return await request<IncidentList<QueueIncident>>('/incidents', { query: { ...q, view: 'queue' }, ...(signal !== undefined ? { signal } : {}) })
}

export async function getIncident (id: string, signal?: AbortSignal): Promise<IncidentDetail> {
  return await request<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`, signal !== undefined ? { signal } : {})
}

/**
 * Acts on an incident, guarded by the version the operator saw (`If-Match`): a stale view is
 * refused with 409 `GW_ERR_DISPATCH_STALE` instead of overwriting someone else's change.
 */
export async function act (id: string, action: IncidentAction, version: number): Promise<Incident> {
  const res = await request<{ incident: Incident }>(`/incidents/${encodeURIComponent(id)}/actions`, {
    method: 'POST', body: action, headers: { 'if-match': `"${version}"` }
  })
  return res.incident
}

export async function metrics (q: MetricsQuery, signal?: AbortSignal): Promise<MetricsReport> {
  return await request<MetricsReport>('/metrics/incidents', { query: { ...q }, ...(signal !== undefined ? { signal } : {}) })
}

/** The community schematic; undefined while the server does not offer the route (404). */
export async function community (): Promise<CommunityView | undefined> {
  return normalizeCommunity(await request<unknown>('/community'))
}

export interface DeviceListQuery {
  building?: string
  kind?: string
  status?: string
  limit?: number
  offset?: number
}

export async function devices (q: DeviceListQuery, signal?: AbortSignal): Promise<DeviceList> {
  return normalizeDeviceList(await request<unknown>('/devices', { query: { ...q }, ...(signal !== undefined ? { signal } : {}) }))
}

/** Every device matching `q`, page by page (the API serves at most 1,000 a page). */
export async function allDevices (q: Omit<DeviceListQuery, 'limit' | 'offset'>, signal?: AbortSignal): Promise<DeviceList> {
  const items: DeviceList['items'] = []
  let total = 0
  for (let offset = 0; offset < 100_000;) {
    const page = await devices({ ...q, limit: 1000, offset }, signal)
    items.push(...page.items)
    total = page.total
    offset += page.items.length
    if (page.items.length === 0 || offset >= total) break
  }
  return { items, total: Math.max(total, items.length) }
}

export async function deviceSummary (): Promise<BuildingDeviceSummary[]> {
  return normalizeDeviceSummary(await request<unknown>('/devices/summary'))
}

/** Admin: a new MQTT secret for a gateway or a direct device; the answer is the only place it appears. */
export async function issueCredentials (id: string): Promise<IssuedCredentials> {
  return normalizeCredentials(id, await request<unknown>(`/devices/${encodeURIComponent(id)}/credentials`, { method: 'POST', body: {} }))
}

export async function telemetry (device: string, from: number, to: number, signal?: AbortSignal): Promise<TelemetrySeries[]> {
  const body = await request<unknown>('/telemetry', { query: { device, from, to }, ...(signal !== undefined ? { signal } : {}) })
  return normalizeTelemetry(device, body)
}
