import {
  DeviceListQuerySchema, DeviceListResponseSchema, DeviceParamsSchema, DeviceSummarySchema, ErrorBodySchema, IssuedCredentialSchema
} from '../api-schemas.ts'
import { provided } from '../coded-error.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'

const ERRORS = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 501: ErrorBodySchema, 503: ErrorBodySchema }

/**
 * The device registry with status for the console's devices page and map, and (admins) the
 * re-issue of a gateway's or direct device's MQTT secret. Every role reads devices: a handler
 * needs the state of the detectors behind their incidents as much as an operator does.
 */
export function deviceRoutes (api: Api, ctx: RouteContext): void {
  api.get('/devices', {
    config: { access: 'read' },
    schema: {
      tags: ['devices'], summary: 'Devices with their status (online / offline / unknown), last message, battery and false alarms', security: SECURITY,
      querystring: DeviceListQuerySchema, response: { 200: DeviceListResponseSchema, ...ERRORS }
    }
  }, async (req) => await provided(ctx.devices, 'the device directory').list(req.query))

  api.get('/devices/summary', {
    config: { access: 'read' },
    schema: {
      tags: ['devices'], summary: 'Per building: devices online, offline and unknown', security: SECURITY,
      response: { 200: DeviceSummarySchema, ...ERRORS }
    }
  }, async () => await provided(ctx.devices, 'the device directory').summary())

  api.post('/devices/:id/credentials', {
    config: { access: 'manage' },
    schema: {
      tags: ['devices'],
      summary: 'Issue a new MQTT secret to a gateway or direct device (the old one stops working); the secret is in this answer only',
      security: SECURITY, params: DeviceParamsSchema, response: { 201: IssuedCredentialSchema, ...ERRORS, 404: ErrorBodySchema }
    }
  }, async (req, reply) => {
    const issued = await provided(ctx.credentials, 'credential issuing').issue(req.params.id)
    ctx.log.info({ clientId: issued.id, by: req.principal?.id }, 'MQTT credential issued')
    // A secret must not linger in a cache between here and the admin (RFC 9111 §5.2.2.5).
    return await reply.code(201).header('cache-control', 'no-store').send(issued)
  })
}
