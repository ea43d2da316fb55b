import { CommandSchema, IdSchema } from '@gangwan/contracts'
import { z } from 'zod'

/**
 * Where a command stands: `pending` until its acknowledgement arrives (protocol §9), then `ok`, or
 * `failed` (the client answered `ok: false`), or `expired` when no answer came in time.
 */
export const COMMAND_STATUSES = ['pending', 'ok', 'failed', 'expired'] as const
export const CommandStatusSchema = z.enum(COMMAND_STATUSES)
export type CommandStatus = z.infer<typeof CommandStatusSchema>

/** Longest a command may wait for its acknowledgement, s. */
export const COMMAND_MAX_TIMEOUT_S = 3600

/** What an operator asks for: `POST /gateways/:gatewayId/commands`. */
export const NewCommandSchema = z.object({
  name: CommandSchema.shape.name.describe('silence | reset | config (protocol §9); other names go out as they are and the client refuses them'),
  args: z.record(z.string(), z.unknown()).optional().describe('arguments by name, e.g. {"durationS": 300} for silence'),
  deviceId: IdSchema.optional().describe('a device behind the gateway; absent: the gateway itself'),
  timeoutS: z.number().int().min(1).max(COMMAND_MAX_TIMEOUT_S).optional().describe('how long to wait for the acknowledgement; default the hub\'s (60 s)')
}).strict()
export type NewCommand = z.infer<typeof NewCommandSchema>

/** A command the hub sent and what became of it. */
export const CommandRecordSchema = z.object({
  id: z.string().describe('the command id, echoed by the acknowledgement'),
  gatewayId: IdSchema,
  deviceId: IdSchema.optional(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  status: CommandStatusSchema,
  /** Hub clock, epoch ms. */
  issuedAt: z.number().int(),
  issuedBy: z.string().optional().describe('the user or API token that sent it'),
  /** When it expires unanswered (hub clock, epoch ms). */
  expiresAt: z.number().int(),
  /** When the acknowledgement arrived (hub clock, epoch ms). */
  ackedAt: z.number().int().optional(),
  /** The acknowledgement's own `ts` (the client's clock, epoch ms). */
  ackTs: z.number().int().optional(),
  /** The client's reason, for `failed`. */
  error: z.string().optional()
})
export type CommandRecord = z.infer<typeof CommandRecordSchema>

/**
 * Commands to gateways and the devices behind them over MQTT (protocol §9). The hub implements it
 * over its broker; the dashboard authorizes and validates the request shape, nothing more.
 *
 * @example
 * const cmd = await channel.send('GW-B03', { name: 'silence', args: { durationS: 300 }, deviceId: 'B03-F12-S01' }, 'admin')
 * channel.get(cmd.id)?.status // 'pending', then 'ok' once the gateway answered
 */
export interface CommandChannel {
  /**
   * Publishes the command at QoS 1 and returns its record (`pending`). Rejects with
   * `GW_ERR_API_NOT_FOUND` for a gateway (or a device behind it) the community does not list,
   * `GW_ERR_COMMAND_INVALID` for arguments a known command does not take, and
   * `GW_ERR_COMMAND_UNAVAILABLE` when the broker is not running.
   */
  send: (gatewayId: string, command: NewCommand, issuedBy?: string) => Promise<CommandRecord>
  /** The gateway's recent commands (its devices' included), newest first; `GW_ERR_API_NOT_FOUND` for an unknown gateway. */
  list: (gatewayId: string, limit: number) => CommandRecord[]
  /** A recent command, or undefined (unknown, or no longer among the recent ones). */
  get: (id: string) => CommandRecord | undefined
}
