import { GangwanError, type Incident, type IncidentAction } from '@gangwan/contracts'
import type { IncidentQuery } from '@gangwan/dispatch'
import {
  ActionBodySchema, ActionHeadersSchema, ActionQuerySchema, ErrorBodySchema, IncidentDetailSchema, IncidentListQuerySchema,
  IncidentListResponseSchema, IncidentParamsSchema, IncidentResponseSchema
} from '../api-schemas.ts'
import { canAct, canSee, scopedDepartments, type Principal } from '../auth/permissions.ts'
import { queueIncident } from '../queue-incident.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'
import { allowedActionsFor } from './allowed-actions.ts'
import { sampledListSerializer } from './sampled-list-serializer.ts'

const ERRORS = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema }

/** The version an action expects: `If-Match` (RFC 9110 §13.1.1, the incident version as its entity tag) or `?version=`. */
function expectedVersion (ifMatch: string | undefined, query: number | undefined): number | undefined {
  const header = ifMatch === undefined ? undefined : Number(/\d+/.exec(ifMatch)?.[0])
  if (header !== undefined && query !== undefined && header !== query) {
    throw new GangwanError('GW_ERR_API_BAD_REQUEST', `If-Match ${header} and ?version=${query} differ`)
  }
  return header ?? query
}

/** A handler acts for themselves: accepting in another handler's name is not theirs to do. */
function checkActionArguments (p: Principal, action: IncidentAction): void {
  if (p.role === 'handler' && action.type === 'accept' && action.handler !== undefined && action.handler !== p.id) {
    throw new GangwanError('GW_ERR_API_FORBIDDEN', 'a handler accepts only for themselves')
  }
}

/** Incidents: list, one with its timeline and alerts, and actions on it. */
export function incidentRoutes (api: Api, ctx: RouteContext): void {
  async function visible (p: Principal, id: string): Promise<Incident> {
    const incident = await ctx.dispatch.get(id)
    if (incident === undefined) throw new GangwanError('GW_ERR_DISPATCH_NOT_FOUND', `no incident "${id}"`)
    if (!canSee(p, incident)) throw new GangwanError('GW_ERR_API_FORBIDDEN', `incident ${id} belongs to another department`)
    return incident
  }

  api.get('/incidents', {
    config: { access: 'read' },
    schema: {
      tags: ['incidents'], summary: 'List incidents (a handler sees only their department\'s)', security: SECURITY,
      querystring: IncidentListQuerySchema, response: { 200: IncidentListResponseSchema, ...ERRORS }
    },
    serializerCompiler: sampledListSerializer
  }, async (req) => {
    const { view, ...rest } = req.query
    const query: IncidentQuery = rest
    const scope = scopedDepartments(req.principal as Principal)
    if (scope !== undefined) {
      const departments = query.department === undefined ? scope : query.department.filter((d) => scope.includes(d))
      if (departments.length === 0) return { items: [], total: 0 }
      query.department = departments
    }
    const page = await ctx.dispatch.list(query)
    return view === 'queue' ? { items: page.items.map(queueIncident), total: page.total } : page
  })

  api.get('/incidents/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['incidents'], summary: 'One incident with its timeline, linked alerts and the caller\'s allowed actions', security: SECURITY,
      params: IncidentParamsSchema, response: { 200: IncidentDetailSchema, ...ERRORS, 404: ErrorBodySchema }
    }
  }, async (req, reply) => {
    const p = req.principal as Principal
    const incident = await visible(p, req.params.id)
    const [timeline, alerts] = await Promise.all([ctx.dispatch.timeline(incident.id), ctx.dispatch.alerts(incident.id)])
    reply.header('etag', `"${incident.version}"`)
    return { incident, allowedActions: allowedActionsFor(p, incident), timeline, alerts }
  })

  api.post('/incidents/:id/actions', {
    config: { access: 'act' },
    schema: {
      tags: ['incidents'],
      summary: 'Act on an incident (accept, arrive, resolve, …); If-Match or ?version= guards against a stale view',
      security: SECURITY,
      params: IncidentParamsSchema, querystring: ActionQuerySchema, headers: ActionHeadersSchema, body: ActionBodySchema,
      response: { 200: IncidentResponseSchema, ...ERRORS, 404: ErrorBodySchema, 409: ErrorBodySchema }
    }
  }, async (req, reply) => {
    const p = req.principal as Principal
    const action = req.body
    checkActionArguments(p, action)
    const version = expectedVersion(req.headers['if-match'], req.query.version)
    const actor = { type: p.type, id: p.id, role: p.role }
    const scoped = scopedDepartments(p) !== undefined
    // The department check reads the incident before acting. For a scoped caller the act is pinned
    // to the version checked, so a re-dispatch in between cannot slip through; when the caller gave
    // no version, a stale pin is their department check's problem, not theirs: check again.
    for (let attempt = 0; ; attempt++) {
      const incident = await visible(p, req.params.id)
      if (!canAct(p, action.type, incident)) throw new GangwanError('GW_ERR_API_FORBIDDEN', `role ${p.role} may not ${action.type}`)
      const pin = version ?? (scoped ? incident.version : undefined)
      try {
        const changed = await ctx.dispatch.act(incident.id, action, actor, pin)
        reply.header('etag', `"${changed.version}"`)
        return { incident: changed }
      } catch (err) {
        if (version !== undefined || pin === undefined || attempt >= 2 || (err as GangwanError).code !== 'GW_ERR_DISPATCH_STALE') throw err
      }
    }
  })
}
