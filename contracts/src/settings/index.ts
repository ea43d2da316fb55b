import { z } from 'zod'
import { FireSettingsSchema } from './fire.ts'
import { ElevatorSettingsSchema } from './elevator.ts'
import { FumeSettingsSchema } from './fume.ts'
import { NoiseSettingsSchema } from './noise.ts'
import { FallingObjectSettingsSchema } from './falling-object.ts'
import { HealthSettingsSchema } from './health.ts'

export * from './fire.ts'
export * from './elevator.ts'
export * from './fume.ts'
export * from './noise.ts'
export * from './falling-object.ts'
export * from './health.ts'

/**
 * Every analytics threshold of a site, one section per kind, each defaulted to DOMAIN.md's values:
 * a community file may leave `analytics` out or set only what differs.
 *
 * @example AnalyticsSettingsSchema.parse({ fire: { confirmWindowMs: 120000 } }).elevator.trappedAfterMs // 60000
 */
export const AnalyticsSettingsSchema = z.object({
  fire: FireSettingsSchema.prefault({}),
  elevator: ElevatorSettingsSchema.prefault({}),
  fume: FumeSettingsSchema.prefault({}),
  noise: NoiseSettingsSchema.prefault({}),
  fallingObject: FallingObjectSettingsSchema.prefault({}),
  health: HealthSettingsSchema.prefault({})
}).strict()
export type AnalyticsSettings = z.infer<typeof AnalyticsSettingsSchema>
