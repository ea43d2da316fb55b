import {
  AlertCategorySchema, AlertSchema, AuditEntrySchema, DeviceKindSchema, IdSchema, INCIDENT_STATUSES, IncidentActionSchema,
  IncidentSchema, SeveritySchema
} from '@gangwan/contracts'
import { z } from 'zod'
import { ApiTokenSchema, NewUserSchema, UserSchema } from './auth/auth-store.ts'
import { RoleSchema } from './auth/permissions.ts'
import { CommandRecordSchema } from './commands/command-channel.ts'
import { CommunityViewSchema } from './community-view.ts'
import { DeviceCountsSchema, DeviceStateSchema, DeviceStatusSchema } from './devices/device-directory.ts'
import { QUEUE_INCIDENT_FIELDS } from './queue-incident.ts'
import { TelemetryPointSchema, TelemetrySeriesSchema } from './telemetry/telemetry-history.ts'

/** Every error answer: a stable code (contracts/src/errors.ts) and words for people. */
export const ErrorBodySchema = z.object({ code: z.string(), message: z.string() })

/** A comma-separated list (`status=new,dispatched`), also accepted as a repeated parameter. */
function list<T extends z.ZodType<string, string>> (item: T, of: string) {
  return z.union([z.string(), z.array(z.string())])
    .describe(`comma-separated list of ${of}`)
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
    .pipe(z.array(item).min(1))
}
const epochMs = z.coerce.number().int().min(0).describe('epoch milliseconds')

export const LoginBodySchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256)
}).strict()

export const PrincipalSchema = z.object({
  type: z.enum(['user', 'token']),
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  department: IdSchema.optional()
})

export const LoginResponseSchema = z.object({
  token: z.string().describe('the session secret, also set as the HttpOnly cookie; or send it as Authorization: Bearer'),
  expiresAt: z.number().int(),
  user: UserSchema
})

export const MeResponseSchema = z.object({
  principal: PrincipalSchema,
  /** When the session ends if not used again; absent for API tokens. */
  expiresAt: z.number().int().optional()
})

export const IncidentListQuerySchema = z.object({
  status: list(z.enum(INCIDENT_STATUSES), INCIDENT_STATUSES.join(' | ')).optional(),
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  category: list(AlertCategorySchema, AlertCategorySchema.options.join(' | ')).optional(),
  severity: list(SeveritySchema, 'P1 | P2 | P3 | P4').optional(),
  grid: list(IdSchema, 'grid ids').optional(),
  department: list(IdSchema, 'department ids').optional(),
  handler: IdSchema.optional(),
  building: IdSchema.optional(),
  createdFrom: epochMs.optional(),
  createdTo: epochMs.optional(),
  sort: z.enum(['createdAt', 'updatedAt', 'severity', 'dueAt', 'queue']).optional()
    .describe('default createdAt; queue: the operator queue\'s order (severity P1 first, then running deadline with none last, then creation)'),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  view: z.enum(['full', 'queue']).optional()
    .describe('full (default): whole incidents; queue: only the fields of the QueueIncident schema, what a queue row, its filters and order need')
}).strict()

/** An incident as the queue lists it (`view=queue`): the fields of `QUEUE_INCIDENT_FIELDS`. */
export const QueueIncidentSchema = IncidentSchema.pick(Object.fromEntries(QUEUE_INCIDENT_FIELDS.map((k) => [k, true])) as { [K in (typeof QUEUE_INCIDENT_FIELDS)[number]]: true })

export const IncidentListResponseSchema = z.object({
  items: z.array(z.union([IncidentSchema, QueueIncidentSchema])).describe('Incident, or QueueIncident with view=queue'),
  total: z.number().int()
})

export const LinkedAlertSchema = z.object({
  incidentId: z.string(),
  alert: AlertSchema,
  mergeRule: z.string(),
  reason: z.string(),
  linkedAt: z.number().int()
})

export const IncidentDetailSchema = z.object({
  incident: IncidentSchema,
  allowedActions: z.array(z.enum(['dispatch', 'escalate', 'accept', 'arrive', 'resolve', 'verify', 'reject', 'close', 'false_alarm', 'reopen']))
    .describe('actions both the incident\'s status and the caller\'s role allow now, in workflow order'),
  timeline: z.array(AuditEntrySchema),
  alerts: z.array(LinkedAlertSchema)
})

export const IncidentParamsSchema = z.object({ id: z.string().min(1).max(64) })

export const ActionQuerySchema = z.object({
  version: z.coerce.number().int().positive().optional().describe('expected incident version (alternative to If-Match)')
}).strict()

export const ActionHeadersSchema = z.object({
  'if-match': z.string().regex(/^\s*(W\/)?"?\d+"?\s*$/, 'must be the incident version, e.g. 3 or "3"').optional()
    .describe('expected incident version; a stale one answers 409 GW_ERR_DISPATCH_STALE')
})

export const ActionBodySchema = IncidentActionSchema
export const IncidentResponseSchema = z.object({ incident: IncidentSchema })

const MetricsGroupSchema = z.object({
  key: z.string(),
  incidents: z.number().int(),
  dispatched: z.number().int(),
  accepted: z.number().int(),
  acceptedOnTime: z.number().int(),
  arrived: z.number().int(),
  arrivedOnTime: z.number().int(),
  resolved: z.number().int(),
  closed: z.number().int(),
  closedOnTime: z.number().int(),
  falseAlarms: z.number().int(),
  reworked: z.number().int(),
  rated: z.number().int(),
  satisfied: z.number().int(),
  acceptanceRate: z.number().nullable(),
  responseRate: z.number().nullable(),
  closureRate: z.number().nullable(),
  onTimeClosureRate: z.number().nullable(),
  reworkRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  meanTimeToAcceptS: z.number().nullable(),
  meanTimeToArriveS: z.number().nullable(),
  meanTimeToCloseS: z.number().nullable()
})

const GROUP_BY = ['none', 'category', 'department', 'grid', 'severity', 'period', 'device'] as const
const PERIODS = ['day', 'week', 'month'] as const

export const MetricsQuerySchema = z.object({
  groupBy: z.enum(GROUP_BY).optional(),
  period: z.enum(PERIODS).optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  category: AlertCategorySchema.optional(),
  grid: IdSchema.optional(),
  department: IdSchema.optional()
}).strict()

/** Dispatch's metrics report (dispatch/src/domain/metrics.ts), as the API documents it. */
export const MetricsReportSchema = z.object({
  groupBy: z.enum(GROUP_BY),
  period: z.enum(PERIODS).optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  groups: z.array(MetricsGroupSchema),
  total: MetricsGroupSchema
})

export const CreateUserBodySchema = NewUserSchema
export const UserResponseSchema = z.object({ user: UserSchema })
export const UserListSchema = z.object({ items: z.array(UserSchema) })

export const CreateTokenBodySchema = z.object({
  name: z.string().min(1).max(100),
  role: RoleSchema,
  /** Required for a handler token. */
  department: IdSchema.optional()
}).strict()
export const CreatedTokenSchema = z.object({
  id: z.string(),
  token: z.string().describe('the secret, shown this once: present it as Authorization: Bearer <token>')
})
export const TokenListSchema = z.object({ items: z.array(ApiTokenSchema) })
export const TokenParamsSchema = z.object({ id: z.string().min(1).max(64) })

export const StreamQuerySchema = z.object({
  lastEventId: z.coerce.number().int().min(0).optional().describe('resume after this seq (alternative to the Last-Event-ID header)')
}).strict()
export const StreamHeadersSchema = z.object({
  'last-event-id': z.string().regex(/^\d+$/, 'must be an audit seq').optional().describe('resume after this seq')
})

export const HealthSchema = z.object({ ok: z.boolean() })

export const DeviceListQuerySchema = z.object({
  building: IdSchema.optional(),
  kind: DeviceKindSchema.optional(),
  status: DeviceStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0)
}).strict()
export const DeviceListResponseSchema = z.object({ items: z.array(DeviceStatusSchema), total: z.number().int() })
export const DeviceSummarySchema = z.record(IdSchema, DeviceCountsSchema).describe('per building id (every building of the community): devices online, offline, unknown')
export const DeviceParamsSchema = z.object({ id: IdSchema })
export const IssuedCredentialSchema = z.object({
  id: IdSchema.describe('the MQTT client id and username'),
  secret: z.string().describe('the MQTT password, shown this once; the previous one no longer connects')
})

/** Longest telemetry range one request may ask for: a week around an incident. */
export const TELEMETRY_MAX_RANGE_MS = 7 * 86_400_000
/** Most readings one answer carries; a longer range is thinned to buckets. */
export const TELEMETRY_MAX_POINTS = 2000
/** Range read when `from` is not given: the hour before `to`. */
export const TELEMETRY_DEFAULT_RANGE_MS = 3_600_000
export const TelemetryQuerySchema = z.object({
  device: IdSchema,
  from: epochMs.optional().describe('epoch ms; default: an hour before `to`'),
  to: epochMs.optional().describe('epoch ms; default: now. At most 7 days after `from`')
}).strict()

/** Named schemas, referenced from the OpenAPI document as components. */
export const NAMED_SCHEMAS = {
  Error: ErrorBodySchema,
  Incident: IncidentSchema,
  QueueIncident: QueueIncidentSchema,
  IncidentAction: IncidentActionSchema,
  AuditEntry: AuditEntrySchema,
  Alert: AlertSchema,
  LinkedAlert: LinkedAlertSchema,
  User: UserSchema,
  ApiToken: ApiTokenSchema,
  MetricsGroup: MetricsGroupSchema,
  Principal: PrincipalSchema,
  DeviceStatus: DeviceStatusSchema,
  DeviceCounts: DeviceCountsSchema,
  TelemetryPoint: TelemetryPointSchema,
  TelemetrySeries: TelemetrySeriesSchema,
  Community: CommunityViewSchema,
  Command: CommandRecordSchema
} as const
