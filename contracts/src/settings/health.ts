import { z } from 'zod'

const ms = z.number().int().positive()

/** Device-health rule settings of a site. */
export const HealthSettingsSchema = z.object({
  /** A device is offline after this many of its expected report intervals pass without data. */
  offlineAfterMissed: z.number().int().positive().default(3),
  /** Expected report interval per kind when idle, ms (cameras report only events: their gateway's heartbeat stands in). */
  reportIntervalMs: z.object({
    fire: ms.default(60_000), elevator: ms.default(10_000), fume: ms.default(60_000), noise: ms.default(60_000)
  }).strict().prefault({}),
  /** Expected heartbeat interval of a gateway or direct device, ms. */
  heartbeatIntervalMs: ms.default(60_000),
  /** A device clock off the community's by more than this is skewed (GB 50440-2007: clocks within 5 s). */
  maxClockSkewMs: ms.default(5_000),
  /** Missing sequence numbers in a row that are reported as data lost upstream. */
  minSeqGap: z.number().int().positive().default(1),
  /** This many identical consecutive readings of an analogue sensor is a flat line. */
  flatLineSamples: z.number().int().positive().default(30)
}).strict()
export type HealthSettings = z.infer<typeof HealthSettingsSchema>
