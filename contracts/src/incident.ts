import { z } from 'zod'
import { IdSchema } from './ids.ts'
import { AlertCategorySchema, AlertLocationSchema, SeveritySchema } from './alert.ts'

/**
 * Where an incident is in the closed loop (GB/T 30428 practice, DOMAIN.md §6):
 * `new` → `dispatched` (the clock starts) → `accepted` → `handling` (on site) → `resolved`
 * (handler's feedback) → `verified` → `closed`; or `false_alarm` from any open status. `closed`
 * and `false_alarm` are final until someone reopens the incident (back to `dispatched`).
 */
export const INCIDENT_STATUSES = ['new', 'dispatched', 'accepted', 'handling', 'resolved', 'verified', 'closed', 'false_alarm'] as const
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES)
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>

/** Statuses that end the loop: no SLA runs, new alerts open another incident. */
export const FINAL_INCIDENT_STATUSES: readonly IncidentStatus[] = ['closed', 'false_alarm']

/** An SLA step: each has its own deadline per category and severity. */
export const SlaStepSchema = z.enum(['accept', 'arrive', 'resolve'])
export type SlaStep = z.infer<typeof SlaStepSchema>

/**
 * Who acted: an operator console user, an integrator's API token, or the hub itself (routing,
 * SLA escalation, merging alerts).
 */
export const ActorSchema = z.object({
  type: z.enum(['user', 'token', 'system']),
  id: z.string().min(1).max(100),
  /** Role of a user or token when it acted. */
  role: z.string().max(40).optional()
}).strict()
export type Actor = z.infer<typeof ActorSchema>

/**
 * An operator's or handler's action on an incident, with what it needs. Escalation and alert
 * merging are not actions: only the hub does them, and they are audited the same way.
 *
 * - `dispatch`: `new` → `dispatched`, or re-dispatch to another department while not yet on site;
 * - `escalate`: one tier up the route's ladder now, without waiting for a deadline (status unchanged);
 * - `accept`: `dispatched` → `accepted`; `arrive`: `accepted` → `handling`;
 * - `resolve`: `handling` → `resolved`, with the handler's feedback (note, evidence reference);
 * - `verify`: `resolved` → `verified`; `reject`: `resolved` → `handling` (rework);
 * - `close`: `verified` → `closed`, with the reporter's satisfaction when known;
 * - `false_alarm`: any open status → `false_alarm`, with a reason (counted against device and site);
 * - `reopen`: `closed` | `false_alarm` → `dispatched`, with a reason (counted as rework).
 */
export const IncidentActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dispatch'), department: IdSchema.optional(), handler: IdSchema.optional(), note: z.string().max(2000).optional() }).strict(),
  z.object({ type: z.literal('escalate'), reason: z.string().min(1).max(2000) }).strict(),
  z.object({ type: z.literal('accept'), handler: IdSchema.optional(), note: z.string().max(2000).optional() }).strict(),
  z.object({ type: z.literal('arrive'), note: z.string().max(2000).optional() }).strict(),
  z.object({ type: z.literal('resolve'), note: z.string().min(1).max(2000), evidence: z.string().max(512).optional() }).strict(),
  z.object({ type: z.literal('verify'), note: z.string().max(2000).optional() }).strict(),
  z.object({ type: z.literal('reject'), reason: z.string().min(1).max(2000) }).strict(),
  z.object({ type: z.literal('close'), satisfied: z.boolean().optional(), note: z.string().max(2000).optional() }).strict(),
  z.object({ type: z.literal('false_alarm'), reason: z.string().min(1).max(2000) }).strict(),
  z.object({ type: z.literal('reopen'), reason: z.string().min(1).max(2000) }).strict()
])
export type IncidentAction = z.infer<typeof IncidentActionSchema>
export type IncidentActionType = IncidentAction['type']

/** A deadline of the running SLA step (epoch ms, hub wall clock). */
export const DeadlineSchema = z.object({
  step: SlaStepSchema,
  dueAt: z.number().int(),
  /** Escalation tier the deadline belongs to (0: the routed department). */
  tier: z.number().int().nonnegative(),
  /**
   * When the step's clock started (dispatch, accept, arrival, an escalation or a rework), so a
   * countdown can show the share of the step's time left; absent on incidents stored before it.
   */
  startedAt: z.number().int().optional()
}).strict()
export type Deadline = z.infer<typeof DeadlineSchema>

/** The handler's feedback given when resolving (a photo, a clip or a report reference as evidence). */
export const FeedbackSchema = z.object({
  note: z.string().min(1).max(2000),
  evidence: z.string().max(512).optional(),
  by: z.string().min(1).max(100),
  at: z.number().int()
}).strict()
export type Feedback = z.infer<typeof FeedbackSchema>

/**
 * One incident: related alerts merged (see `merge`), routed to a department, worked against SLA
 * deadlines. Times are the hub's wall clock (epoch ms). `version` grows with every change; an
 * action carrying a stale `version` is refused (`GW_ERR_DISPATCH_STALE`, HTTP 409).
 *
 * @example
 * IncidentSchema.parse({ id: 'INC-000001', version: 1, status: 'dispatched', category: 'fire',
 *   severity: 'P1', title: 'Confirmed fire', location: { grid: 'G01', building: 'B03', floor: 12,
 *   zone: 'Z12' }, department: 'fire-room-1', tier: 0, escalatedTo: [], mergeRule: 'fire-zone',
 *   mergeReason: 'fire alerts in building B03 zone Z12 within 600 s', alertCount: 2,
 *   devices: ['B03-F12-S01', 'B03-F12-S02'], reworkCount: 0,
 *   createdAt: 1763800000000, updatedAt: 1763800000000, dispatchedAt: 1763800000000,
 *   lastAlertAt: 1763800000000, deadline: { step: 'accept', dueAt: 1763800060000, tier: 0 } })
 */
export const IncidentSchema = z.object({
  id: z.string().min(1).max(64),
  version: z.number().int().positive(),
  status: IncidentStatusSchema,
  category: AlertCategorySchema,
  /** The highest severity among its alerts; it rises, never falls, while the incident is open. */
  severity: SeveritySchema,
  title: z.string().min(1).max(200),
  location: AlertLocationSchema,
  /** Department working it now, and its handler once known. */
  department: IdSchema.optional(),
  handler: IdSchema.optional(),
  /** Escalation tier reached (0: the routed department). */
  tier: z.number().int().nonnegative(),
  /** Departments notified by escalation, in order. */
  escalatedTo: z.array(IdSchema),
  /** Routing rule that picked the department. */
  routingRule: z.string().max(100).optional(),
  /** Merge rule that groups alerts into this incident, and why in words. */
  mergeRule: z.string().max(100),
  mergeReason: z.string().max(500),
  alertCount: z.number().int().nonnegative(),
  /** Devices whose alerts are merged in (false alarms are counted against them), first 100. */
  devices: z.array(IdSchema).max(100).default([]),
  /** Times it went back for rework (verification rejected, or reopened). */
  reworkCount: z.number().int().nonnegative(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  dispatchedAt: z.number().int().optional(),
  acceptedAt: z.number().int().optional(),
  arrivedAt: z.number().int().optional(),
  resolvedAt: z.number().int().optional(),
  verifiedAt: z.number().int().optional(),
  closedAt: z.number().int().optional(),
  /** Measurement time of the newest alert merged in (for the merge window). */
  lastAlertAt: z.number().int(),
  /** The running SLA step's deadline; absent when no step runs (new, resolved and later). */
  deadline: DeadlineSchema.optional(),
  /** Deadlines missed so far, per step (on-time metrics). */
  missed: z.array(SlaStepSchema).default([]),
  feedback: FeedbackSchema.optional(),
  falseAlarmReason: z.string().max(2000).optional(),
  satisfied: z.boolean().optional()
}).strict()
export type Incident = z.infer<typeof IncidentSchema>

/** What an audit entry records. Actions by people, plus what the hub does by itself. */
export const AuditEventSchema = z.enum([
  'created', 'alert_merged', 'alert_updated', 'severity_raised', 'escalated',
  'dispatch', 'accept', 'arrive', 'resolve', 'verify', 'reject', 'close', 'false_alarm', 'reopen'
])
export type AuditEvent = z.infer<typeof AuditEventSchema>

/** One line of an incident's timeline: who, when, from what, to what, why. */
export const AuditEntrySchema = z.object({
  /** Grows strictly across all incidents: the live stream's cursor. */
  seq: z.number().int().positive(),
  incidentId: z.string().min(1).max(64),
  at: z.number().int(),
  actor: ActorSchema,
  event: AuditEventSchema,
  fromStatus: IncidentStatusSchema.optional(),
  toStatus: IncidentStatusSchema,
  /** Why, in words (the note, reason, rule explanation). */
  reason: z.string().max(2000).optional(),
  /** Event details: the merged alert key, the escalation target, the missed step, … */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({})
}).strict()
export type AuditEntry = z.infer<typeof AuditEntrySchema>
