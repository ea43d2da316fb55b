import { GangwanError } from '@gangwan/contracts'
import { z } from 'zod'
import { ErrorBodySchema, StreamHeadersSchema, StreamQuerySchema } from '../api-schemas.ts'
import { canSee, type Principal } from '../auth/permissions.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'
import { openIncidentStream } from '../stream/incident-stream.ts'

/** The live stream of incident changes (Server-Sent Events). */
export function streamRoutes (api: Api, ctx: RouteContext): void {
  api.get('/stream', {
    config: { access: 'read' },
    schema: {
      tags: ['stream'],
      summary: 'Incident changes as Server-Sent Events: `id:` audit seq, `event: incident`, data {entry, incident}; resumes after Last-Event-ID',
      security: SECURITY,
      querystring: StreamQuerySchema,
      headers: StreamHeadersSchema,
      response: {
        200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
        400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema
      }
    }
  }, async (req, reply) => {
    const p = req.principal as Principal
    const header = req.headers['last-event-id']
    const fromHeader = header === undefined ? undefined : Number(header)
    const fromQuery = req.query.lastEventId
    if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
      throw new GangwanError('GW_ERR_API_BAD_REQUEST', `Last-Event-ID ${fromHeader} and ?lastEventId=${fromQuery} differ`)
    }
    const secret = req.secret
    reply.hijack()
    const log = ctx.log.child({ stream: req.id, principal: p.id })
    openIncidentStream({
      res: reply.raw,
      dispatch: ctx.dispatch,
      log,
      afterSeq: fromHeader ?? fromQuery,
      visible: (e) => canSee(p, e.incident),
      heartbeatMs: ctx.config.heartbeatS * 1000,
      // Not touching the session: an open stream alone does not keep a session alive.
      stillAuthorized: async () => secret !== undefined && await ctx.auth.authenticate(secret, ctx.now(), ctx.limits, false) !== undefined,
      registry: ctx.streams
    })
    log.debug('live stream opened')
  })
}
