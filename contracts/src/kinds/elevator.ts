import { z } from 'zod'
import { IdSchema, SequencedSchema } from '../ids.ts'

/** Car direction as reported by the controller. */
export const ElevatorDirectionSchema = z.enum(['up', 'down', 'stop'])
/** Car door state. */
export const DoorStateSchema = z.enum(['open', 'opening', 'closed', 'closing'])
/** Operating mode: normal service, inspection, maintenance, or fire-service (firefighter) mode. */
export const ElevatorModeSchema = z.enum(['normal', 'inspection', 'maintenance', 'fire'])

/**
 * Real-time elevator status (GB/T 24476-2017 §5 data items).
 *
 * - `floor`: current floor number (negative for basements); `speedMps`: car speed in m/s;
 * - `inDoorZone`: the car is levelled within a landing's door zone;
 * - `passenger`: a passenger is detected in the car;
 * - `faultCodes`: the controller's active fault codes (vendor strings, e.g. `E30`), empty when none.
 *
 * @example
 * ElevatorTelemetrySchema.parse({ kind: 'elevator', seq: 88, ts: 1763800000000, floor: 12,
 *   direction: 'up', speedMps: 1.75, door: 'closed', inDoorZone: false, passenger: true,
 *   mode: 'normal', faultCodes: [] })
 */
export const ElevatorTelemetrySchema = SequencedSchema.extend({
  kind: z.literal('elevator'),
  floor: z.number().int().min(-20).max(300),
  direction: ElevatorDirectionSchema,
  speedMps: z.number().min(0).max(25),
  door: DoorStateSchema,
  inDoorZone: z.boolean(),
  passenger: z.boolean(),
  mode: ElevatorModeSchema,
  faultCodes: z.array(z.string().min(1).max(16)).max(16)
}).strict()
export type ElevatorTelemetry = z.infer<typeof ElevatorTelemetrySchema>

/** The controller of one elevator in the device inventory; `elevator` names the lift it monitors. */
export const ElevatorDeviceSchema = z.object({
  kind: z.literal('elevator'),
  elevator: IdSchema
})
