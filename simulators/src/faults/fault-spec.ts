import { z } from 'zod'

const epochMs = z.number().int().min(0)
const positiveMs = z.number().int().positive()
const field = z.string().min(1).max(40)
/** One field name or several (they share the fault: a hung meter freezes all its levels). */
const fields = z.union([field, z.array(field).min(1).max(8)])

/** When a fault acts: from `fromMs` (measurement time, epoch ms) until `untilMs` (open-ended when absent). */
const span = { fromMs: epochMs, untilMs: epochMs.optional() }

/** The sensor keeps reporting the value it had at `fromMs` (a frozen ADC, a hung meter). */
export const StuckFaultSchema = z.object({ type: z.literal('stuck'), ...span, field: fields }).strict()

/** The reading gains `ratePerHour` (field units per hour) since `fromMs`: a dusty chamber, a mis-calibrated microphone. */
export const DriftFaultSchema = z.object({ type: z.literal('drift'), ...span, field: fields, ratePerHour: z.number() }).strict()

/**
 * Each message (camera: each trajectory point) is hit with probability `probability` by a spike of
 * `magnitude` field units, scaled by a uniform 0.5–1.5: loose contacts, EMI, an insect in the chamber.
 */
export const SpikeFaultSchema = z.object({
  type: z.literal('spike'),
  ...span,
  field: fields,
  probability: z.number().min(0).max(1),
  magnitude: z.number().positive(),
  direction: z.enum(['up', 'down', 'both']).default('both')
}).strict()

/**
 * Each message is lost (`mode: 'lose'`, its `seq` leaves a gap) or reads 0 in `field`
 * (`mode: 'zero'`, the sensor returns no signal) with probability `probability`.
 */
export const DropoutFaultSchema = z.object({
  type: z.literal('dropout'),
  ...span,
  probability: z.number().min(0).max(1),
  mode: z.enum(['lose', 'zero']).default('lose'),
  field: fields.optional()
}).strict().refine((f) => f.mode === 'lose' || f.field !== undefined, { message: "mode 'zero' needs a field", path: ['field'] })

/**
 * Fire: a smouldering fire under the detector. Smoke rises by up to `riseDbM` along an
 * accelerating curve over `rampMs`, with turbulence, and the chamber warms by `temperatureRiseC`.
 * Chosen so smoke stays under the 0.05 dB/m type A response (GB 4715-2024 §5.7): what a threshold misses.
 */
export const SmoulderFaultSchema = z.object({
  type: z.literal('smoulder'),
  ...span,
  rampMs: positiveMs,
  riseDbM: z.number().positive().max(20).default(0.025),
  temperatureRiseC: z.number().min(0).max(50).default(1)
}).strict()

/**
 * Elevator: a wearing door operator. Door opening and closing take up to `extraOpeningMs` and
 * `extraClosingMs` longer, growing linearly over `rampMs` (the door takes the time from the dwell).
 */
export const DoorWearFaultSchema = z.object({
  type: z.literal('door_wear'),
  ...span,
  rampMs: positiveMs,
  extraOpeningMs: z.number().min(0).max(60_000),
  extraClosingMs: z.number().min(0).max(60_000)
}).strict()

/**
 * Fume: a purifier losing efficiency (dirty plates, a failing power supply). While it runs, its
 * current falls by up to `currentLoss` (fraction) and outlet fume and particulates rise by up to
 * `fumeGain` (factor), both growing linearly over `rampMs`.
 */
export const PurifierWearFaultSchema = z.object({
  type: z.literal('purifier_wear'),
  ...span,
  rampMs: positiveMs,
  currentLoss: z.number().min(0).max(1),
  fumeGain: z.number().min(1).max(10)
}).strict()

/**
 * A fault or pre-threshold pattern applied to one device's telemetry, as scenario files describe it.
 *
 * @example FaultSpecSchema.parse({ type: 'drift', fromMs: 1763800000000, field: 'smokeDbM', ratePerHour: 0.002 })
 */
export const FaultSpecSchema = z.union([
  StuckFaultSchema, DriftFaultSchema, SpikeFaultSchema, DropoutFaultSchema,
  SmoulderFaultSchema, DoorWearFaultSchema, PurifierWearFaultSchema
])
export type FaultSpec = z.infer<typeof FaultSpecSchema>
/** A fault as written in a scenario file, before defaults are filled in. */
export type FaultSpecInput = z.input<typeof FaultSpecSchema>
/** The kinds of fault: `stuck`, `drift`, `spike`, `dropout` and the patterns. */
export type FaultType = FaultSpec['type']

/** The sensor faults (category device_health), as opposed to the kinds' pre-threshold patterns. */
export const SENSOR_FAULTS = ['stuck', 'drift', 'spike', 'dropout'] as const
