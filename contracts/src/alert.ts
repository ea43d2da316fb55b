import { z } from 'zod'
import { IdSchema } from './ids.ts'
import { DeviceKindSchema } from './telemetry.ts'
import { TrajectoryPointSchema } from './kinds/falling-object.ts'

/** Incident categories (DESIGN "Severity and categories"): the five systems plus device health. */
export const ALERT_CATEGORIES = ['fire', 'elevator', 'fume', 'noise', 'falling_object', 'device_health'] as const
export const AlertCategorySchema = z.enum(ALERT_CATEGORIES)
export type AlertCategory = z.infer<typeof AlertCategorySchema>

/** P1 life at risk (confirmed fire, trapped passenger, thrown object) … P4 maintenance. */
export const SeveritySchema = z.enum(['P1', 'P2', 'P3', 'P4'])
export type Severity = z.infer<typeof SeveritySchema>

/** An estimated floor range with the estimator's confidence 0–1 (thrown objects). */
export const FloorRangeSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  confidence: z.number().min(0).max(1)
}).strict()
export type FloorRange = z.infer<typeof FloorRangeSchema>

/**
 * Where an alert is, down to what the community file knows: always the grid, and building,
 * floor, façade, fire zone, elevator or restaurant where they apply.
 */
export const AlertLocationSchema = z.object({
  grid: IdSchema,
  building: IdSchema.optional(),
  floor: z.number().int().optional(),
  floorRange: FloorRangeSchema.optional(),
  facade: IdSchema.optional(),
  zone: IdSchema.optional(),
  elevator: IdSchema.optional(),
  restaurant: IdSchema.optional()
}).strict()
export type AlertLocation = z.infer<typeof AlertLocationSchema>

/**
 * What fired: a readable rule (with the standard's clause it implements) or an anomaly model
 * (with its score). `version` changes whenever the rule's logic or the model's weights change.
 */
export const AlertSourceSchema = z.object({
  type: z.enum(['rule', 'model']),
  id: z.string().min(1).max(100),
  version: z.string().min(1).max(40),
  clause: z.string().min(1).max(300),
  score: z.number().optional()
}).strict()
export type AlertSource = z.infer<typeof AlertSourceSchema>

/** A scalar value that triggered an alert. */
export const TriggerValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()])

/**
 * Why the alert fired: the values that crossed the line and the measurement-time window they
 * come from (epoch ms), plus evidence where the kind has it (a thrown object's clip and track).
 */
export const AlertTriggerSchema = z.object({
  values: z.record(z.string(), TriggerValueSchema),
  window: z.object({ fromMs: z.number().int(), toMs: z.number().int() }).strict(),
  clip: z.string().max(512).optional(),
  trajectory: z.array(TrajectoryPointSchema).max(1000).optional()
}).strict()
export type AlertTrigger = z.infer<typeof AlertTriggerSchema>

/**
 * An explained alert as analytics puts it into the dispatch queue. One alert is one episode of one
 * rule on one subject (a device, or a fire zone `B03/Z12` for correlated fire): `key` is
 * `ruleId|subject|openedAt` and so is the same however often the same telemetry is replayed.
 * Repeats raise `count` and `lastSeenAt` instead of opening another alert; `version` grows with
 * every change, so a consumer keeps the highest.
 *
 * Times are measurement time (the devices' `ts`, epoch ms) except `detectedAt`, the hub's wall
 * clock when the alert was raised (for latency).
 *
 * @example
 * AlertSchema.parse({ key: 'fire.smoke|B03-F12-S01|1763800000000', ruleId: 'fire.smoke',
 *   subject: 'B03-F12-S01', device: 'B03-F12-S01', kind: 'fire', category: 'fire', severity: 'P2',
 *   state: 'open', title: 'Smoke pre-alarm', source: { type: 'rule', id: 'fire.smoke', version: '1',
 *   clause: 'GB 4715-2024 §5.7' }, trigger: { values: { smokeDbM: 0.31 }, window: { fromMs:
 *   1763800000000, toMs: 1763800000000 } }, location: { grid: 'G01', building: 'B03', floor: 12,
 *   zone: 'Z12' }, openedAt: 1763800000000, lastSeenAt: 1763800000000, count: 1, flapping: false,
 *   detectedAt: 1763800000050, version: 1 })
 */
export const AlertSchema = z.object({
  key: z.string().min(1).max(300),
  ruleId: z.string().min(1).max(100),
  subject: z.string().min(1).max(140),
  device: IdSchema.optional(),
  kind: DeviceKindSchema.optional(),
  category: AlertCategorySchema,
  severity: SeveritySchema,
  state: z.enum(['open', 'cleared']),
  title: z.string().min(1).max(200),
  source: AlertSourceSchema,
  trigger: AlertTriggerSchema,
  location: AlertLocationSchema,
  openedAt: z.number().int(),
  lastSeenAt: z.number().int(),
  clearedAt: z.number().int().optional(),
  count: z.number().int().positive(),
  flapping: z.boolean(),
  detectedAt: z.number().int(),
  version: z.number().int().positive()
}).strict()
export type Alert = z.infer<typeof AlertSchema>

/** The idempotent key of an alert episode. */
export function alertKey (ruleId: string, subject: string, openedAt: number): string {
  return `${ruleId}|${subject}|${openedAt}`
}

/**
 * Where analytics puts alerts: the dispatch queue implements it. `put` resolves once the alert is
 * durable; putting a version the store already has (or an older one) changes nothing, so a replay
 * after a crash neither loses nor duplicates an alert.
 */
export interface AlertSink {
  put: (alerts: readonly Alert[]) => Promise<void>
  /** Alerts still open, so a restarted analytics continues them instead of opening new ones. */
  open: () => Promise<Alert[]>
}
