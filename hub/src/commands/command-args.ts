import { z } from 'zod'
import { GangwanError, SilenceArgsSchema } from '@gangwan/contracts'

/**
 * Arguments of the v1 command names (protocol §9). The receiver has the last word (it answers
 * `ok: false` for what it cannot apply); the hub refuses only what no receiver could apply, before
 * it goes out. Other names pass unchecked: a site's gateway may know more commands than v1.
 */
export const V1_COMMAND_ARGS = {
  silence: SilenceArgsSchema,
  reset: z.object({}).strict(),
  // Setting name → value (e.g. reportIntervalS, heartbeatIntervalS, a threshold); the receiver
  // names any setting it did not apply in its acknowledgement.
  config: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'setting names are identifiers'), z.union([z.number(), z.boolean(), z.string().max(256)]))
    .refine((settings) => Object.keys(settings).length > 0, 'name at least one setting')
} as const

/** The v1 names, and `other` for the rest: the `name` label of the command metrics stays bounded. */
export type CommandNameLabel = keyof typeof V1_COMMAND_ARGS | 'other'
export const COMMAND_NAME_LABELS: readonly CommandNameLabel[] = ['silence', 'reset', 'config', 'other']

export const nameLabel = (name: string): CommandNameLabel => Object.hasOwn(V1_COMMAND_ARGS, name) ? name as CommandNameLabel : 'other'

/**
 * The arguments to send, checked against their name's schema; `GW_ERR_COMMAND_INVALID` naming the
 * first problem.
 *
 * @example checkCommandArgs('silence', { durationS: 300 }) // { durationS: 300 }
 */
export function checkCommandArgs (name: string, args: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(V1_COMMAND_ARGS, name)) return args
  const r = V1_COMMAND_ARGS[name as keyof typeof V1_COMMAND_ARGS].safeParse(args)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const where = issue === undefined || issue.path.length === 0 ? 'args' : `args.${issue.path.join('.')}`
  throw new GangwanError('GW_ERR_COMMAND_INVALID', `${name}: ${where}: ${issue?.message ?? 'invalid'}`)
}
