import { z } from 'zod'
import { IdSchema, SequencedSchema } from '../ids.ts'

/**
 * Telemetry of a smoke, heat or multi-sensor fire detector, or a manual call point.
 *
 * - `smokeDbM`: optical obscuration in dB/m (GB 4715-2024 §5.7: type A responds at ≥ 0.05 dB/m);
 * - `temperatureC`: chamber temperature in °C (heat classes of GB 4716 / EN 54-5);
 * - `alarm`: the detector's own alarm decision; `manualCall`: a manual call point was pressed;
 * - `fault`, `tamper`: self-test fault and removal from its base;
 * - `batteryPct`: remaining battery, 0–100 (absent on mains-powered detectors).
 *
 * @example
 * FireTelemetrySchema.parse({ kind: 'fire', seq: 7, ts: 1763800000000, smokeDbM: 0.02,
 *   temperatureC: 24.5, alarm: false, fault: false, tamper: false, batteryPct: 87 })
 */
export const FireTelemetrySchema = SequencedSchema.extend({
  kind: z.literal('fire'),
  smokeDbM: z.number().min(0).max(20).optional(),
  temperatureC: z.number().min(-40).max(300).optional(),
  alarm: z.boolean(),
  manualCall: z.boolean().optional(),
  fault: z.boolean(),
  tamper: z.boolean(),
  batteryPct: z.number().min(0).max(100).optional()
}).strict().refine(
  (m) => m.smokeDbM !== undefined || m.temperatureC !== undefined || m.manualCall !== undefined,
  { message: 'a fire message needs at least one of smokeDbM, temperatureC, manualCall', path: ['smokeDbM'] }
)
export type FireTelemetry = z.infer<typeof FireTelemetrySchema>

/** Detector types (GB 50116 terminology): smoke, heat, combined smoke+heat, manual call point. */
export const FireDetectorTypeSchema = z.enum(['smoke', 'heat', 'multi', 'manual_call_point'])

/** Heat detector class after GB 4716 / EN 54-5 (static response A1 54–65 °C, A2 54–70, B 69–85, C 84–100). */
export const HeatClassSchema = z.enum(['A1', 'A2', 'B', 'C'])

/**
 * A fire detector in the community's device inventory. `zone` is the fire alarm zone
 * (GB 50116 §3.3) used to correlate independent detectors.
 */
export const FireDeviceSchema = z.object({
  kind: z.literal('fire'),
  detector: FireDetectorTypeSchema,
  heatClass: HeatClassSchema.optional(),
  floor: z.number().int(),
  zone: IdSchema
})
