import { z } from 'zod'
import { IdSchema, SequencedSchema } from '../ids.ts'

const mgM3 = z.number().min(0).max(1000)
const amps = z.number().min(0).max(200)

/**
 * Online cooking-fume monitor reading (HJ 212-2017 style real-time values).
 * Concentrations in mg/m³: `fumeMgM3` (GB 18483-2001 limit 2.0), `particulateMgM3`, `nmhcMgM3`
 * (non-methane hydrocarbons). Exhaust fan and purifier: current in A and on/off state.
 *
 * @example
 * FumeTelemetrySchema.parse({ kind: 'fume', seq: 3, ts: 1763800000000, fumeMgM3: 0.8,
 *   particulateMgM3: 1.9, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true,
 *   purifierCurrentA: 1.2, purifierOn: true })
 */
export const FumeTelemetrySchema = SequencedSchema.extend({
  kind: z.literal('fume'),
  fumeMgM3: mgM3,
  particulateMgM3: mgM3,
  nmhcMgM3: mgM3,
  fanCurrentA: amps,
  fanOn: z.boolean(),
  purifierCurrentA: amps,
  purifierOn: z.boolean()
}).strict()
export type FumeTelemetry = z.infer<typeof FumeTelemetrySchema>

/** A fume monitor in the inventory, installed in one restaurant's exhaust duct. */
export const FumeDeviceSchema = z.object({
  kind: z.literal('fume'),
  restaurant: IdSchema
})
