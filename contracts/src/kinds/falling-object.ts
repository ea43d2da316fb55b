import { z } from 'zod'
import { IdSchema, SequencedSchema } from '../ids.ts'

/**
 * One tracked point of a falling object: `t` seconds after the event's `ts`, `x` metres along
 * the façade from its left edge (as seen by the camera), `h` metres above ground.
 */
export const TrajectoryPointSchema = z.object({
  t: z.number().min(0).max(60),
  x: z.number().min(-50).max(1000),
  h: z.number().min(-5).max(1000)
}).strict()
export type TrajectoryPoint = z.infer<typeof TrajectoryPointSchema>

/**
 * A high-altitude thrown-object event from a façade camera (Civil Code art. 1254): the tracked
 * trajectory, the tracker's confidence 0–1, and a reference to the evidence clip kept on the camera
 * or NVR. `ts` is the time of the first trajectory point.
 *
 * @example
 * FallingObjectTelemetrySchema.parse({ kind: 'falling_object', seq: 5, ts: 1763800000000,
 *   eventId: 'C-B07-S-20261122-0001', building: 'B07', facade: 'S', confidence: 0.93,
 *   clip: 'nvr://B07-S/20261122/133500.mp4',
 *   trajectory: [{ t: 0, x: 12.1, h: 50.4 }, { t: 0.5, x: 12.2, h: 49.2 }, { t: 1, x: 12.3, h: 45.5 }] })
 */
export const FallingObjectTelemetrySchema = SequencedSchema.extend({
  kind: z.literal('falling_object'),
  eventId: z.string().min(1).max(128),
  building: IdSchema,
  facade: IdSchema,
  trajectory: z.array(TrajectoryPointSchema).min(2).max(1000),
  confidence: z.number().min(0).max(1),
  clip: z.string().min(1).max(512)
}).strict().refine(
  (m) => m.trajectory.every((p, i, a) => i === 0 || p.t > a[i - 1]!.t),
  { message: 'trajectory times must increase', path: ['trajectory'] }
)
export type FallingObjectTelemetry = z.infer<typeof FallingObjectTelemetrySchema>

/** A façade camera in the inventory, watching one façade of its building. */
export const FallingObjectDeviceSchema = z.object({
  kind: z.literal('falling_object'),
  facade: IdSchema
})
