import { GangwanError, IdSchema } from '@gangwan/contracts'
import { z } from 'zod'
import { ErrorBodySchema } from '../api-schemas.ts'
import { CommandRecordSchema, NewCommandSchema } from '../commands/command-channel.ts'
import { provided } from '../coded-error.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'

const GatewayParamsSchema = z.object({ gatewayId: IdSchema })
const CommandParamsSchema = z.object({ id: z.string().min(1).max(64) })
const CommandListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100)
}).strict()
const CommandListSchema = z.object({ items: z.array(CommandRecordSchema) })

const ERRORS = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 501: ErrorBodySchema }

/**
 * Commands to gateways and their devices (protocol §9): silence, reset, configuration. Sending is
 * for the role that administers devices (admin, `manage`, as for credentials); every role may read
 * what was sent and whether it was applied. The hub's channel does the work.
 */
export function commandRoutes (api: Api, ctx: RouteContext): void {
  const channel = (): NonNullable<RouteContext['commands']> => provided(ctx.commands, 'the command channel')

  api.post('/gateways/:gatewayId/commands', {
    config: { access: 'manage' },
    schema: {
      tags: ['commands'],
      summary: 'Send a command to a gateway or a device behind it (QoS 1); 202 while it waits for the acknowledgement',
      security: SECURITY, params: GatewayParamsSchema, body: NewCommandSchema,
      response: { 202: CommandRecordSchema, ...ERRORS, 503: ErrorBodySchema }
    }
  }, async (req, reply) => {
    const by = req.principal?.id
    const sent = await channel().send(req.params.gatewayId, req.body, by)
    ctx.log.info({ commandId: sent.id, gatewayId: sent.gatewayId, deviceId: sent.deviceId, name: sent.name, by }, 'command sent')
    return await reply.code(202).header('location', `/api/v1/commands/${encodeURIComponent(sent.id)}`).send(sent)
  })

  api.get('/gateways/:gatewayId/commands', {
    config: { access: 'read' },
    schema: {
      tags: ['commands'], summary: 'Recent commands to a gateway and its devices with their status, newest first', security: SECURITY,
      params: GatewayParamsSchema, querystring: CommandListQuerySchema, response: { 200: CommandListSchema, ...ERRORS }
    }
  }, async (req) => ({ items: channel().list(req.params.gatewayId, req.query.limit) }))

  api.get('/commands/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['commands'], summary: 'A recent command and its status (pending, ok, failed, expired)', security: SECURITY,
      params: CommandParamsSchema, response: { 200: CommandRecordSchema, ...ERRORS }
    }
  }, async (req) => {
    const found = channel().get(req.params.id)
    if (found === undefined) throw new GangwanError('GW_ERR_API_NOT_FOUND', `no recent command "${req.params.id}"`)
    return found
  })
}
