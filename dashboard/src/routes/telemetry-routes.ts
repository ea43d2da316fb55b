import { GangwanError } from '@gangwan/contracts'
import {
  ErrorBodySchema, TELEMETRY_DEFAULT_RANGE_MS, TELEMETRY_MAX_POINTS, TELEMETRY_MAX_RANGE_MS, TelemetryQuerySchema
} from '../api-schemas.ts'
import { provided } from '../coded-error.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'
import { TelemetrySeriesSchema } from '../telemetry/telemetry-history.ts'

/**
 * A device's readings around an incident, for the console's charts. Any reading role may ask for
 * any device (a handler's incident can involve devices of other departments' areas).
 */
export function telemetryRoutes (api: Api, ctx: RouteContext): void {
  api.get('/telemetry', {
    config: { access: 'read' },
    schema: {
      tags: ['telemetry'],
      summary: `A device's readings in [from, to] (at most 7 days; at most ${TELEMETRY_MAX_POINTS} points, thinned to buckets beyond)`,
      security: SECURITY, querystring: TelemetryQuerySchema,
      response: { 200: TelemetrySeriesSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 501: ErrorBodySchema, 503: ErrorBodySchema }
    }
  }, async (req) => {
    const to = req.query.to ?? ctx.now()
    const from = req.query.from ?? to - TELEMETRY_DEFAULT_RANGE_MS
    if (from > to) throw new GangwanError('GW_ERR_API_BAD_REQUEST', `from (${from}) is after to (${to})`)
    if (to - from > TELEMETRY_MAX_RANGE_MS) throw new GangwanError('GW_ERR_API_BAD_REQUEST', 'the range may span at most 7 days')
    return await provided(ctx.telemetry, 'telemetry history').read(req.query.device, from, to, TELEMETRY_MAX_POINTS)
  })
}
