import { z } from 'zod'

const count = z.number().int().positive()

/**
 * Cooking-fume rule settings of a site (GB 18483-2001; DOMAIN.md §3). The emission limit itself is
 * per restaurant (`restaurants[].fumeLimitMgM3`).
 */
export const FumeSettingsSchema = z.object({
  /** Consecutive samples over the limit that make a sustained exceedance. */
  exceedanceSamples: count.default(5),
  /** Consecutive samples with the fan on and the purifier off, in opening hours, that make an illegal discharge. */
  illegalDischargeSamples: count.default(3),
  /** Purifier uptime ratio (purifier-on ÷ fan-on time) under which a restaurant is reported, per day. */
  minPurifierUptime: z.number().min(0).max(1).default(0.9)
}).strict()
export type FumeSettings = z.infer<typeof FumeSettingsSchema>
