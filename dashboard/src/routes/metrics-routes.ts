import { GangwanError } from '@gangwan/contracts'
import type { MetricsQuery, MetricsReport } from '@gangwan/dispatch'
import type { z } from 'zod'
import { ErrorBodySchema, MetricsQuerySchema, MetricsReportSchema } from '../api-schemas.ts'
import { scopedDepartments, type Principal } from '../auth/permissions.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'

// The API's schemas must describe exactly what dispatch takes and gives: these fail to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const queryMatches: Same<z.output<typeof MetricsQuerySchema>, MetricsQuery> = true
const reportMatches: Same<z.output<typeof MetricsReportSchema>, MetricsReport> = true
void queryMatches
void reportMatches

/** Closed-loop indicators (受理率, 响应率, 按期结案率, …) computed by dispatch; a handler gets their department's only. */
export function metricsRoutes (api: Api, ctx: RouteContext): void {
  api.get('/metrics/incidents', {
    config: { access: 'read' },
    schema: {
      tags: ['metrics'], summary: 'Incident metrics grouped by one dimension', security: SECURITY,
      querystring: MetricsQuerySchema,
      response: { 200: MetricsReportSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema }
    }
  }, async (req) => {
    const query: MetricsQuery = { ...req.query }
    const scope = scopedDepartments(req.principal as Principal)
    if (scope !== undefined) {
      const own = scope[0]
      if (own === undefined || (query.department !== undefined && query.department !== own)) {
        throw new GangwanError('GW_ERR_API_FORBIDDEN', 'a handler sees the metrics of their own department only')
      }
      query.department = own
    }
    return await ctx.dispatch.metrics(query)
  })
}
