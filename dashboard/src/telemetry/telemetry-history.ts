import { DeviceKindSchema, IdSchema } from '@gangwan/contracts'
import { z } from 'zod'

/** One stored reading: its measurement time and its fields as InfluxDB holds them. */
export const TelemetryPointSchema = z.object({
  ts: z.number().int().describe('measurement time, epoch ms'),
  fields: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()]))
})
export type TelemetryPoint = z.infer<typeof TelemetryPointSchema>

/** A device's readings over a time range. */
export const TelemetrySeriesSchema = z.object({
  device: IdSchema,
  kind: DeviceKindSchema,
  points: z.array(TelemetryPointSchema).describe('in time order'),
  /**
   * Set when the range held more readings than asked for: each point is then the first reading of
   * a bucket this long, stamped with the bucket's start.
   */
  bucketMs: z.number().int().positive().optional()
})
export type TelemetrySeries = z.infer<typeof TelemetrySeriesSchema>

/**
 * A device's telemetry history, for the console's charts around an incident. The hub implements it
 * with InfluxQL over the v1 HTTP API.
 *
 * @example const { points } = await history.read('B01-F12-S01', from, to, 2000)
 */
export interface TelemetryHistory {
  /**
   * Readings of `device` measured in [`fromMs`, `toMs`], at most `maxPoints`, in time order.
   * Rejects with `GW_ERR_API_NOT_FOUND` for a device not in the inventory.
   */
  read: (device: string, fromMs: number, toMs: number, maxPoints: number) => Promise<TelemetrySeries>
}
