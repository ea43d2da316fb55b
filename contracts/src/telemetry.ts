import { z } from 'zod'
import { FireTelemetrySchema } from './kinds/fire.ts'
import { ElevatorTelemetrySchema } from './kinds/elevator.ts'
import { FumeTelemetrySchema } from './kinds/fume.ts'
import { NoiseTelemetrySchema } from './kinds/noise.ts'
import { FallingObjectTelemetrySchema } from './kinds/falling-object.ts'

/** The five device kinds, one per safety system of the community. */
export const DEVICE_KINDS = ['fire', 'elevator', 'fume', 'noise', 'falling_object'] as const
/** A device kind: `fire`, `elevator`, `fume`, `noise` or `falling_object`. */
export const DeviceKindSchema = z.enum(DEVICE_KINDS)
export type DeviceKind = z.infer<typeof DeviceKindSchema>

/**
 * Any telemetry message, told apart by its `kind`. Parse untrusted payloads with `safeParse`.
 *
 * @example
 * const r = TelemetrySchema.safeParse(JSON.parse(payload))
 * if (!r.success) log.warn({ issues: r.error.issues }, 'invalid telemetry')
 */
export const TelemetrySchema = z.discriminatedUnion('kind', [
  FireTelemetrySchema,
  ElevatorTelemetrySchema,
  FumeTelemetrySchema,
  NoiseTelemetrySchema,
  FallingObjectTelemetrySchema
])
export type Telemetry = z.infer<typeof TelemetrySchema>
/** Telemetry of one kind, e.g. `TelemetryOf<'noise'>`. */
export type TelemetryOf<K extends DeviceKind> = Extract<Telemetry, { kind: K }>
