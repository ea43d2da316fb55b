import { z } from 'zod'
import { AlertCategorySchema, SeveritySchema } from '../alert.ts'
import { DepartmentKindSchema } from '../department-kind.ts'

const seconds = z.number().int().positive()
const ruleId = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be 1-64 characters of a-z 0-9 _ - starting with a letter')

/**
 * What two alerts must share to be one incident: the same device, fire zone (building + zone),
 * floor (building + floor), building, façade (building + façade), elevator, restaurant or grid.
 */
export const MergeScopeSchema = z.enum(['device', 'zone', 'floor', 'building', 'facade', 'elevator', 'restaurant', 'grid'])
export type MergeScope = z.infer<typeof MergeScopeSchema>

/**
 * A merge rule: an alert of `categories` (narrowed to `alertRules` when given) joins an open
 * incident of `joins` that shares its `scope` and whose newest alert is at most `windowS` older
 * (measurement time). The first rule that finds an incident wins; without one the alert opens a
 * new incident. The rule id and `description` are written on the incident as its explanation.
 */
export const MergeRuleSchema = z.object({
  id: ruleId,
  description: z.string().min(1).max(300),
  categories: z.array(AlertCategorySchema).min(1),
  alertRules: z.array(z.string().min(1).max(100)).optional(),
  joins: z.array(AlertCategorySchema).min(1),
  scope: MergeScopeSchema,
  windowS: seconds
}).strict()
export type MergeRule = z.infer<typeof MergeRuleSchema>

/**
 * Department reference in a routing rule: a department kind, resolved to the department of that
 * kind whose grids cover the incident's grid (a department with no grids covers all), or
 * `elevator_maintainer`: the maintenance company the community file names for the elevator.
 */
export const RouteTargetSchema = z.union([DepartmentKindSchema, z.literal('elevator_maintainer')])
export type RouteTarget = z.infer<typeof RouteTargetSchema>

/**
 * A routing rule: the first whose `match` fits an incident routes it. Empty or absent lists match
 * anything. `department` works it, `notify` are told at dispatch (e.g. the fire brigade for a
 * confirmed fire), `escalation` are the tiers a late step climbs, one at a time. With
 * `autoDispatch` false the incident waits in `new` for a dispatcher.
 */
export const RoutingRuleSchema = z.object({
  id: ruleId,
  match: z.object({
    categories: z.array(AlertCategorySchema).optional(),
    severities: z.array(SeveritySchema).optional(),
    grids: z.array(z.string()).optional(),
    alertRules: z.array(z.string().min(1).max(100)).optional()
  }).strict().default({}),
  department: RouteTargetSchema,
  notify: z.array(RouteTargetSchema).default([]),
  escalation: z.array(RouteTargetSchema).default(['community', 'street', 'district']),
  autoDispatch: z.boolean().default(true)
}).strict()
export type RoutingRule = z.infer<typeof RoutingRuleSchema>

/**
 * Time limits of one SLA row, in seconds from the step's start: accept from dispatch, arrive from
 * acceptance, resolve from arrival. The first row whose categories and severities fit applies.
 * After an escalation the late step gets the same limit again from the escalation, except that a
 * department whistled in at tier `whistleTier` or above must be on site within `whistleArriveS`.
 */
export const SlaRowSchema = z.object({
  categories: z.array(AlertCategorySchema).optional(),
  severities: z.array(SeveritySchema).optional(),
  acceptS: seconds,
  arriveS: seconds,
  resolveS: seconds
}).strict()
export type SlaRow = z.infer<typeof SlaRowSchema>

/** DOMAIN.md §1, §2, §5, §6; values marked *(verify)* there are practice, kept configurable. */
export const DEFAULT_SLA: SlaRow[] = [
  // A confirmed fire is accepted within 1 minute; GB 50440-2007 forwards it to 119 within 3 s.
  { categories: ['fire'], severities: ['P1'], acceptS: 60, arriveS: 300, resolveS: 7_200 },
  // A pre-alarm: someone must verify it on site quickly (DOMAIN.md §1 hub practice).
  { categories: ['fire'], severities: ['P2'], acceptS: 180, arriveS: 900, resolveS: 7_200 },
  // Elevator rescue: the maintainer on site within 30 min (TSG T5002-2017 practice).
  { categories: ['elevator'], severities: ['P1'], acceptS: 300, arriveS: 1_800, resolveS: 7_200 },
  // Danger to life: 12345 practice 2 h feedback (verify).
  { severities: ['P1'], acceptS: 300, arriveS: 1_800, resolveS: 7_200 },
  // Urgent (utilities practice 24 h, verify).
  { severities: ['P2'], acceptS: 1_800, arriveS: 7_200, resolveS: 86_400 },
  // General: 7 days (verify).
  { severities: ['P3'], acceptS: 7_200, arriveS: 86_400, resolveS: 604_800 },
  { acceptS: 86_400, arriveS: 259_200, resolveS: 604_800 }
]

/** Default merge rules (docs/dispatch.md explains each). */
export const DEFAULT_MERGE_RULES: MergeRule[] = [
  { id: 'fire-zone', description: 'fire alerts in the same building and fire zone', categories: ['fire'], joins: ['fire'], scope: 'zone', windowS: 600 },
  { id: 'fire-floor', description: 'fire alerts on the same floor of a building', categories: ['fire'], joins: ['fire'], scope: 'floor', windowS: 600 },
  { id: 'elevator-fire-mode', description: 'an elevator switching to fire mode in a building with an open fire', categories: ['fire', 'elevator'], alertRules: ['elevator.fire_mode'], joins: ['fire'], scope: 'building', windowS: 600 },
  { id: 'elevator-car', description: 'alerts of the same elevator', categories: ['elevator'], joins: ['elevator'], scope: 'elevator', windowS: 1_800 },
  { id: 'thrown-facade', description: 'thrown objects seen on the same façade', categories: ['falling_object'], joins: ['falling_object'], scope: 'facade', windowS: 300 },
  { id: 'fume-restaurant', description: 'fume alerts of the same restaurant', categories: ['fume'], joins: ['fume'], scope: 'restaurant', windowS: 3_600 },
  { id: 'noise-device', description: 'noise alerts of the same meter', categories: ['noise'], joins: ['noise'], scope: 'device', windowS: 3_600 },
  { id: 'health-building', description: 'device-health alerts in the same building (one maintenance visit)', categories: ['device_health'], joins: ['device_health'], scope: 'building', windowS: 3_600 }
]

/** Default routing (issue 4, DOMAIN.md §6). */
export const DEFAULT_ROUTING: RoutingRule[] = [
  { id: 'fire-confirmed', match: { categories: ['fire'], severities: ['P1'] }, department: 'fire_control_room', notify: ['fire_brigade'], escalation: ['community', 'street', 'district'], autoDispatch: true },
  { id: 'fire', match: { categories: ['fire'] }, department: 'fire_control_room', notify: [], escalation: ['community', 'street', 'district'], autoDispatch: true },
  { id: 'elevator', match: { categories: ['elevator'] }, department: 'elevator_maintainer', notify: [], escalation: ['community', 'street', 'district'], autoDispatch: true },
  { id: 'fume', match: { categories: ['fume'] }, department: 'environment', notify: [], escalation: ['street', 'district'], autoDispatch: true },
  { id: 'noise', match: { categories: ['noise'] }, department: 'urban_management', notify: [], escalation: ['street', 'district'], autoDispatch: true },
  { id: 'falling-object', match: { categories: ['falling_object'] }, department: 'property', notify: [], escalation: ['police', 'community', 'street', 'district'], autoDispatch: true },
  { id: 'device-health', match: { categories: ['device_health'] }, department: 'device_maintenance', notify: [], escalation: ['property', 'community'], autoDispatch: true }
]

/**
 * Dispatch settings of a site: how alerts merge into incidents, where incidents go, and their
 * time limits. Everything is data in the community file; defaults where left out.
 *
 * @example DispatchSettingsSchema.parse({}).sla[0].acceptS // 60
 */
export const DispatchSettingsSchema = z.object({
  merge: z.array(MergeRuleSchema).default(DEFAULT_MERGE_RULES),
  routing: z.array(RoutingRuleSchema).default(DEFAULT_ROUTING),
  sla: z.array(SlaRowSchema).min(1).default(DEFAULT_SLA),
  /** Tier index from which an escalated department is "whistled": it must be on site within `whistleArriveS` (DOMAIN.md §6 吹哨报到). */
  whistleTier: z.number().int().positive().default(2),
  whistleArriveS: seconds.default(1_800)
}).strict()
export type DispatchSettings = z.infer<typeof DispatchSettingsSchema>
