import { AlertCategorySchema, IdSchema, SeveritySchema } from '@gangwan/contracts'
import { z } from 'zod'

/** Incident types of scenario files, and the background events the simulators label themselves. */
export const TRUTH_TYPES = [
  'fire', 'trapped_passenger', 'purifier_off', 'fume_exceedance', 'noise', 'thrown_object', 'sensor_fault', 'dusty_detector',
  'background_thrown_object', 'background_non_physical', 'background_noise'
] as const

/** An alert category, optionally narrowed to one severity. */
export const AlertPatternSchema = z.object({ category: AlertCategorySchema, severity: SeveritySchema.optional() }).strict()
export type AlertPattern = z.infer<typeof AlertPatternSchema>

/**
 * One ground-truth label: an incident (or background event) the hub should alert on, written as
 * one JSON line beside a scenario run for `npm run eval`.
 *
 * - `category`: the category the hub should alert in (sensor faults and a dusty detector: `device_health`);
 * - `lifeSafety`: a confirmed fire, a trapped passenger or a thrown object (P1 work);
 * - `startMs`/`endMs`: measurement time (epoch ms) the injected condition holds, from its start
 *   to its end (alerts from rules with their own delay, e.g. 60 s trapped, or an hourly Leq
 *   judged at the window's end, open inside or just after it);
 * - `match`: where an alert about it may be (any field given must match the alert's location or device);
 * - `expect`: the rules expected to fire (any one of them), their severity, and for a thrown
 *   object the true window floor;
 * - `forbid`: alerts that must not appear for it (a dusty detector must not become a P1 fire);
 * - `allow`: alerts that may appear for it and are neither required nor false (the dusty detector's
 *   P2 pre-alarm; anything on a background item).
 * Items whose `type` starts with `background_` are the device models' own events, labelled so that
 * alerts on them do not count as false; they are not the scenario's incidents.
 *
 * @example
 * TruthItemSchema.parse({ id: 'trap-1', type: 'trapped_passenger', category: 'elevator', lifeSafety: true,
 *   startMs: 1763861409000, endMs: 1763862000000, match: { building: 'B03', elevator: 'E-B03-1', devices: ['E-B03-1'] },
 *   expect: { ruleIds: ['elevator.trapped_at_landing'], severity: 'P1' } })
 */
export const TruthItemSchema = z.object({
  id: z.string().min(1).max(140),
  type: z.enum(TRUTH_TYPES),
  category: AlertCategorySchema,
  lifeSafety: z.boolean(),
  startMs: z.number().int(),
  endMs: z.number().int(),
  match: z.object({
    devices: z.array(IdSchema).optional(),
    building: IdSchema.optional(),
    zone: IdSchema.optional(),
    elevator: IdSchema.optional(),
    restaurant: IdSchema.optional(),
    facade: IdSchema.optional()
  }).strict(),
  expect: z.object({
    ruleIds: z.array(z.string().min(1).max(100)).optional(),
    severity: SeveritySchema.optional(),
    floor: z.number().int().optional()
  }).strict().optional(),
  forbid: z.array(AlertPatternSchema).optional(),
  allow: z.array(AlertPatternSchema).optional()
}).strict().refine((t) => t.endMs >= t.startMs, { message: 'endMs must not be before startMs', path: ['endMs'] })
export type TruthItem = z.infer<typeof TruthItemSchema>
