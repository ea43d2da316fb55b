import type { Principal, Role } from '../../../src/auth/permissions.ts'
import type {
  Alert, AuditEntry, Building, Community, Department, Grid, Incident, IncidentActionType
} from '@gangwan/contracts'

/** Console roles and the caller as the API describes them (shared with the server, types only). */
export type { Principal, Role } from '../../../src/auth/permissions.ts'
export interface MeResponse { principal: Principal, expiresAt?: number }

export interface User { id: string, name: string, role: Role, department?: string }
/** `POST /auth/login`. */
export interface LoginResponse { token: string, expiresAt: number, user: User }

/** An incident as the queue lists it (`view=queue`): the queue's fields only (shared with the server, types only). */
export type { QueueIncident } from '../../../src/queue-incident.ts'

/** `GET /incidents`: whole incidents, or with `view=queue` {@link QueueIncident}s. */
export interface IncidentList<T = Incident> { items: T[], total: number }

/** `GET /incidents/:id` (`IncidentDetailSchema`). */
export interface LinkedAlert { incidentId: string, alert: Alert, mergeRule: string, reason: string, linkedAt: number }
export interface IncidentDetail {
  incident: Incident
  allowedActions: IncidentActionType[]
  timeline: AuditEntry[]
  alerts: LinkedAlert[]
}

/** One line of `/api/v1/stream` (`event: incident`). */
export interface StreamEvent { entry: AuditEntry, incident: Incident }

/**
 * `GET /metrics/incidents`: the report dispatch computes (`dispatch/src/domain/metrics.ts`, pure and
 * browser-safe, so its types are shared rather than copied).
 */
export type { MetricsGroup, MetricsQuery, MetricsReport } from '../../../../dispatch/src/domain/metrics.ts'
export type { MetricsPeriod as Period } from '../../../../dispatch/src/domain/period-key.ts'
export type GroupBy = NonNullable<import('../../../../dispatch/src/domain/metrics.ts').MetricsQuery['groupBy']>

/** `GET /community` (docs/console.md): the schematic's data, no device secrets. */
export interface CommunityView {
  id: string
  name: string
  grids: Grid[]
  buildings: Building[]
  departments: Department[]
  restaurants: Community['restaurants']
  elevators: Community['elevators']
  gateways: Community['gateways']
}

export type DeviceStatus = 'online' | 'offline' | 'unknown'

/** One row of `GET /devices`: the inventory entry with its live state. */
export interface DeviceRow {
  id: string
  kind: string
  building?: string
  gateway?: string
  floor?: number
  zone?: string
  facade?: string
  elevator?: string
  restaurant?: string
  model?: string
  status: DeviceStatus
  lastSeenAt?: number
  batteryPct?: number
  falseAlarms: number
}
export interface DeviceList { items: DeviceRow[], total: number }

/** One building of `GET /devices/summary`. */
export interface BuildingDeviceSummary { building: string, online: number, offline: number, unknown: number }

/** `POST /devices/{id}/credentials`: what the device or gateway connects with, shown once. */
export interface IssuedCredentials {
  id: string
  /** Every field of the answer, in order, for display (client id, username, secret, …). */
  fields: Array<[string, string]>
  /** The field holding the secret, highlighted. */
  secretField?: string
}

/** One numeric field of a device's telemetry over time (`GET /telemetry`). */
export interface TelemetrySeries { device: string, field: string, points: Array<[number, number]> }
