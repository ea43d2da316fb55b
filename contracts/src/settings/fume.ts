import { z } from 'zod'

const count = z.number().int().positive()
const ms = z.number().int().positive()

/**
 * Cooking-fume rule settings of a site (GB 18483-2001; DOMAIN.md §3). The emission limit itself is
 * per restaurant (`restaurants[].fumeLimitMgM3`); a flat-lined probe uses `health.flatLineSamples`.
 */
export const FumeSettingsSchema = z.object({
  /** Consecutive samples over the limit that make a sustained exceedance (and under it that clear one). */
  exceedanceSamples: count.default(5),
  /** Consecutive samples with the fan on and the purifier off, in opening hours, that make an illegal discharge. */
  illegalDischargeSamples: count.default(3),
  /** Purifier uptime ratio (purifier-on ÷ fan-on time) under which a restaurant is reported, per day. */
  minPurifierUptime: z.number().min(0).max(1).default(0.9),
  /** A local day with less fan-on time than this is not judged for uptime (a closed day). */
  minFanOnMs: ms.default(1_800_000),
  /** A gap between samples longer than this is not counted as on- or off-time (data lost, not running). */
  maxSampleGapMs: ms.default(300_000),
  /** A reading above this is implausible for a kitchen exhaust duct, mg/m³ (*verify*: raw fume is ~5–40). */
  implausibleMgM3: z.number().positive().default(100)
}).strict()
export type FumeSettings = z.infer<typeof FumeSettingsSchema>
