import { IdSchema } from '@gangwan/contracts'
import { z } from 'zod'
import { parseScenarioDuration } from './scenario-time.ts'

/** A duration such as `30s`, `10m`, `1h30m`. */
const Duration = z.string().refine((v) => parseScenarioDuration(v) !== undefined, 'expected a duration such as 30s, 10m, 1h30m')
/** `+HH:MM` after the start, `HH:MM` local clock time, or ISO 8601 with its offset (resolved against the start). */
const Time = z.string().min(1).max(40)
const floor = z.number().int().min(-10).max(200)
const dbA = z.number().min(0).max(160)

const base = { id: IdSchema, at: Time, description: z.string().max(500).optional() }

/** A fire on one floor: every detector of the floor's fire zone alarms, a resident presses the call point. */
export const FireIncidentSchema = z.object({
  ...base, type: z.literal('fire'), building: IdSchema, floor, zone: IdSchema.optional(), for: Duration.default('30m')
}).strict()

/** A passenger shut in a stalled car until the rescue opens the door `for` later. */
export const TrappedIncidentSchema = z.object({
  ...base,
  type: z.literal('trapped_passenger'),
  elevator: IdSchema,
  for: Duration,
  position: z.enum(['landing', 'between']).default('landing'),
  floor: floor.optional(),
  faultCodes: z.array(z.string().min(1).max(20)).max(8).optional()
}).strict()

/** A restaurant switches its purifier off while the fan runs (illegal discharge). */
export const PurifierOffIncidentSchema = z.object({ ...base, type: z.literal('purifier_off'), restaurant: IdSchema, for: Duration }).strict()

/** A restaurant's outlet fume held near `mgM3`, over its limit. */
export const FumeExceedanceIncidentSchema = z.object({
  ...base, type: z.literal('fume_exceedance'), restaurant: IdSchema, mgM3: z.number().positive().max(100), for: Duration
}).strict()

/** A noise source by a meter: one-minute Leq near `leqDb`, Lmax near `lmaxDb` (default Leq + 10). */
export const NoiseIncidentSchema = z.object({
  ...base, type: z.literal('noise'), device: IdSchema, leqDb: dbA, lmaxDb: dbA.optional(), for: Duration
}).strict()

/** An object thrown from a window of `floor` on a façade watched by a camera. */
export const ThrownObjectIncidentSchema = z.object({
  ...base, type: z.literal('thrown_object'), building: IdSchema, facade: IdSchema, floor: z.number().int().min(1).max(200)
}).strict()

/**
 * A data-described fault (simulators/src/faults) on one device from `at`, for `for` (default: to
 * the end). `fault` is a fault spec without `fromMs`/`untilMs`, e.g. `{ "type": "drift", "field":
 * "smokeDbM", "ratePerHour": 0.01 }`; it is checked against the device's kind.
 */
export const SensorFaultIncidentSchema = z.object({
  ...base,
  type: z.literal('sensor_fault'),
  device: IdSchema,
  fault: z.looseObject({ type: z.string().min(1) }),
  for: Duration.optional()
}).strict()

/** A smoke detector's chamber getting dirty: smoke drifts up by `riseDbM` over `rampFor`, then a false alarm. */
export const DustyDetectorIncidentSchema = z.object({
  ...base,
  type: z.literal('dusty_detector'),
  device: IdSchema,
  rampFor: Duration.default('30m'),
  riseDbM: z.number().positive().max(1).default(0.06),
  for: Duration.optional()
}).strict()

/** One incident of a scenario file, by `type`. */
export const IncidentSchema = z.discriminatedUnion('type', [
  FireIncidentSchema, TrappedIncidentSchema, PurifierOffIncidentSchema, FumeExceedanceIncidentSchema,
  NoiseIncidentSchema, ThrownObjectIncidentSchema, SensorFaultIncidentSchema, DustyDetectorIncidentSchema
])
export type IncidentSpec = z.infer<typeof IncidentSchema>
/** The incident types. */
export type IncidentType = IncidentSpec['type']

/**
 * Background knobs. The device models' own events that the hub would alert on are off by default,
 * so a scenario's alerts are its incidents: natural free falls and non-physical tracks (birds,
 * leaves) per camera per week, and the noise meters' background (`natural`: the model's diurnal
 * curve, whose evening peaks and night Lmax break the limits on their own; `compliant`: the same
 * curve with its peaks bent under the meter's zone limits). Whatever is switched on is labelled in
 * the ground truth as `background_*` items.
 */
export const ScenarioOptionsSchema = z.object({
  fallingObjectsPerWeek: z.number().min(0).max(1000).default(0),
  nonPhysicalPerWeek: z.number().min(0).max(1000).default(0),
  noiseBackground: z.enum(['compliant', 'natural']).default('compliant')
}).strict()
export type ScenarioOptions = z.infer<typeof ScenarioOptionsSchema>

/**
 * A scenario file (docs/scenarios.md): a seeded run of the community from `start` for `duration`
 * (simulated time) with incidents and faults injected at given times.
 *
 * @example
 * ScenarioFileSchema.parse({ schemaVersion: 1, name: 'b03-fire', start: '2026-11-23T09:00:00+08:00',
 *   duration: '1h', incidents: [{ id: 'fire-1', at: '+00:20', type: 'fire', building: 'B03', floor: 12 }] })
 */
export const ScenarioFileSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().min(1).max(100),
  description: z.string().max(2000).optional(),
  seed: z.number().int().default(1),
  start: z.string().min(1).max(40),
  duration: Duration,
  options: ScenarioOptionsSchema.prefault({}),
  incidents: z.array(IncidentSchema).max(1000).default([])
}).strict()
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>
/** A scenario file as written, before defaults. */
export type ScenarioFileInput = z.input<typeof ScenarioFileSchema>

/** An incident with its times resolved: `atMs` it starts, `untilMs` it ends (the run's end when open-ended). */
export type Incident = IncidentSpec extends infer T ? T extends IncidentSpec ? T & { atMs: number; untilMs: number } : never : never

/** A parsed and checked scenario with absolute times (epoch ms); what {@link loadScenario} returns. */
export interface Scenario {
  name: string
  description?: string
  seed: number
  startMs: number
  endMs: number
  options: ScenarioOptions
  incidents: readonly Incident[]
}
