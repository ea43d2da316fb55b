import { z } from 'zod'
import { SequencedSchema } from '../ids.ts'
import { ZoneClassSchema } from '../zone-class.ts'

const dbA = z.number().min(0).max(160)

/**
 * One-minute noise statistics in dB(A) (HJ 906/907-2017): equivalent level `leq`, maximum and
 * minimum, and percentile levels L10/L50/L90. `valid: false` marks a sample invalidated by rain
 * or wind (GB 3096-2008 Annex C), which rules must exclude; `invalidReason` says why.
 * `ts` is the end of the minute.
 *
 * @example
 * NoiseTelemetrySchema.parse({ kind: 'noise', seq: 1440, ts: 1763800000000, intervalS: 60,
 *   leq: 52.3, lmax: 61.0, lmin: 44.2, l10: 55.1, l50: 51.0, l90: 46.3, valid: true })
 */
export const NoiseTelemetrySchema = SequencedSchema.extend({
  kind: z.literal('noise'),
  intervalS: z.number().int().min(1).max(3600).default(60),
  leq: dbA,
  lmax: dbA,
  lmin: dbA,
  l10: dbA,
  l50: dbA,
  l90: dbA,
  valid: z.boolean(),
  invalidReason: z.enum(['rain', 'wind', 'calibration', 'other']).optional()
}).strict().superRefine((m, ctx) => {
  if (!(m.lmin <= m.l90 && m.l90 <= m.l50 && m.l50 <= m.l10 && m.l10 <= m.lmax)) {
    ctx.addIssue({ code: 'custom', path: ['l50'], message: 'levels must satisfy lmin <= l90 <= l50 <= l10 <= lmax' })
  }
  if (!(m.lmin <= m.leq && m.leq <= m.lmax)) {
    ctx.addIssue({ code: 'custom', path: ['leq'], message: 'leq must lie between lmin and lmax' })
  }
})
export type NoiseTelemetry = z.infer<typeof NoiseTelemetrySchema>

/** A noise meter in the inventory; `zoneClass` overrides its grid's GB 3096 class when set. */
export const NoiseDeviceSchema = z.object({
  kind: z.literal('noise'),
  zoneClass: ZoneClassSchema.optional()
})
