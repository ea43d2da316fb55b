import { z } from 'zod'

const db = z.number().min(0).max(160)
const limits = (day: number, night: number) => z.object({ day: db.default(day), night: db.default(night) }).strict().prefault({})

/**
 * Noise rule settings of a site. Day/night boundaries are the community's `noise` periods.
 * Limits are Leq dB(A) per zone class, GB 3096-2008 Table 1 (class 4b *verify*).
 */
export const NoiseSettingsSchema = z.object({
  limits: z.object({
    '0': limits(50, 40), '1': limits(55, 45), '2': limits(60, 50), '3': limits(65, 55), '4a': limits(70, 55), '4b': limits(70, 60)
  }).strict().prefault({}),
  /** Period over which Leq is computed from the one-minute values and compared with the limit. */
  leqWindowMs: z.number().int().positive().default(3_600_000),
  /** Share of valid one-minute samples a window needs before its Leq is judged. */
  minValidFraction: z.number().min(0).max(1).default(0.75),
  /** Night Lmax over the night limit by more than this is a sudden noise (GB 3096-2008 §5.4). */
  suddenExcessDb: db.default(15),
  /** Night Lmax over the night limit by more than this, repeatedly, is a frequent noise (GB 12348-2008 §4.1). */
  frequentExcessDb: db.default(10),
  /** How many such minutes within `frequentWindowMs` make it frequent. */
  frequentCount: z.number().int().positive().default(3),
  frequentWindowMs: z.number().int().positive().default(3_600_000),
  /** How long after a Leq window ends its last one-minute values may still arrive before it is judged. */
  lateToleranceMs: z.number().int().nonnegative().default(120_000)
}).strict()
export type NoiseSettings = z.infer<typeof NoiseSettingsSchema>
