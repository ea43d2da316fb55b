import { z } from 'zod'
import { SequencedSchema } from './ids.ts'

/**
 * Presence of a gateway or device, published retained on its `status` topic: `online` after
 * connecting, `offline` as the MQTT last will (so the broker publishes it when the connection
 * drops without a DISCONNECT) or before a clean shutdown. `ts` is optional because a last will
 * is fixed at connect time.
 *
 * @example StatusSchema.parse({ state: 'offline', reason: 'last-will' })
 */
export const StatusSchema = z.object({
  state: z.enum(['online', 'offline']),
  ts: z.number().int().positive().optional(),
  reason: z.string().max(200).optional()
}).strict()
export type Status = z.infer<typeof StatusSchema>

/**
 * Periodic liveness and health report of a gateway or device on its `heartbeat` topic.
 * Gateways add their spool depth, dropped readings, CPU and memory.
 *
 * @example HeartbeatSchema.parse({ seq: 12, ts: 1763800000000, uptimeS: 3600, batteryPct: 91 })
 */
export const HeartbeatSchema = SequencedSchema.extend({
  uptimeS: z.number().nonnegative(),
  batteryPct: z.number().min(0).max(100).optional(),
  rssiDbm: z.number().min(-150).max(0).optional(),
  spoolDepth: z.number().int().nonnegative().optional(),
  drops: z.number().int().nonnegative().optional(),
  cpuPct: z.number().min(0).max(100 * 256).optional(),
  memMb: z.number().nonnegative().optional()
}).strict()
export type Heartbeat = z.infer<typeof HeartbeatSchema>

/**
 * A command from the hub to a gateway or device (configuration, silence an alarm, reset).
 * The receiver answers on the matching `cmd/ack` topic with the same `id`.
 *
 * @example CommandSchema.parse({ id: 'c-77', name: 'silence', ts: 1763800000000, args: {} })
 */
export const CommandSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  ts: z.number().int().positive(),
  args: z.record(z.string(), z.unknown()).default({})
}).strict()
export type Command = z.infer<typeof CommandSchema>

/** Longest one `silence` command mutes a sounder, s (a day: longer is an outage, not a silence). */
export const MAX_SILENCE_S = 86_400

/**
 * Arguments of `silence` (docs/protocol.md §9): how long to mute the local sounder, whole seconds.
 * The hub checks them before sending and the gateway again before applying.
 *
 * @example SilenceArgsSchema.parse({ durationS: 300 })
 */
export const SilenceArgsSchema = z.object({ durationS: z.number().int().min(1).max(MAX_SILENCE_S) }).strict()
export type SilenceArgs = z.infer<typeof SilenceArgsSchema>

/** Acknowledgement of a command: `ok` with an optional `error` text when it could not be applied. */
export const CommandAckSchema = z.object({
  id: z.string().min(1).max(64),
  ok: z.boolean(),
  ts: z.number().int().positive(),
  error: z.string().max(500).optional()
}).strict()
export type CommandAck = z.infer<typeof CommandAckSchema>
