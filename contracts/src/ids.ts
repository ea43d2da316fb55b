import { z } from 'zod'

/**
 * Identifier of a gateway, device, building, grid or any other community object:
 * 1–64 characters from `A–Z a–z 0–9 _ -`, so it is safe inside an MQTT topic level,
 * an InfluxDB tag and a URL path segment.
 *
 * @example IdSchema.parse('B03-F12-S01')
 */
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -')
export type Id = z.infer<typeof IdSchema>

/**
 * Fields every telemetry and heartbeat message carries so that loss and duplication can be
 * detected end to end: the device's own sequence number (monotonically increasing, never
 * reused) and the measurement time in epoch milliseconds (UTC).
 *
 * @example { seq: 1042, ts: 1763800000000 }
 */
export const SequencedSchema = z.object({
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ts: z.number().int().min(946_684_800_000, 'ts must be epoch milliseconds after 2000-01-01').max(4_102_444_800_000, 'ts must be epoch milliseconds before 2100-01-01')
})
export type Sequenced = z.infer<typeof SequencedSchema>

/** Clock time of day `HH:MM` (24 h), e.g. `22:00`. */
export const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)')
