import { z } from 'zod'

/** Thrown-object rule settings of a site (DOMAIN.md §5). */
export const FallingObjectSettingsSchema = z.object({
  /** A track must span more than this many floors to alarm (deployed systems use 2). */
  minFloorsSpanned: z.number().min(0).default(2),
  /** Fitted vertical acceleration must lie in this range, m/s² (g = 9.81 minus drag). */
  minAccelMps2: z.number().positive().default(6),
  maxAccelMps2: z.number().positive().default(11.5),
  /** Minimum coefficient of determination of the parabola fit. */
  minFitR2: z.number().min(0).max(1).default(0.95),
  /** Tracker confidence under which an event is ignored. */
  minConfidence: z.number().min(0).max(1).default(0.5),
  /** Fewest trajectory points a parabola is fitted to (three parameters plus redundancy). */
  minPoints: z.number().int().min(4).default(6)
}).strict()
export type FallingObjectSettings = z.infer<typeof FallingObjectSettingsSchema>
