import type { FastifyRequest } from 'fastify'
import { GangwanError } from '@gangwan/contracts'
import type { Api, RouteContext } from '../route-context.ts'
import { ROLE_PERMISSIONS } from './permissions.ts'

/** `Authorization: Bearer <secret>` (RFC 6750 §2.1), else the session cookie. */
export function presentedSecret (req: FastifyRequest, cookieName: string): string | undefined {
  const header = req.headers.authorization
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
    return m?.[1] ?? ''
  }
  return req.cookies[cookieName]
}

/**
 * Authenticates every request of the API scope in `onRequest`, before its body or query is
 * parsed, so an anonymous caller learns nothing from validation errors (401 before 400), and
 * enforces the route's `access` from the permissions table. Acting on a given incident is
 * checked again by the route, which knows the incident's department.
 */
export function installAuthHook (api: Api, ctx: RouteContext): void {
  api.decorateRequest('principal', null)
  api.decorateRequest('authExpiresAt', undefined)
  api.decorateRequest('secret', undefined)
  api.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access ?? 'manage'
    const secret = presentedSecret(req, ctx.config.cookieName)
    if (secret !== undefined && secret !== '') {
      const found = await ctx.auth.authenticate(secret, ctx.now(), ctx.limits)
      if (found !== undefined) {
        req.principal = found.principal
        req.authExpiresAt = found.expiresAt
        req.secret = secret
      }
    }
    if (access === 'public') return
    const p = req.principal
    if (p === null) throw new GangwanError('GW_ERR_API_UNAUTHENTICATED', secret === undefined ? undefined : 'the session or token is unknown, expired or revoked')
    const perms = ROLE_PERMISSIONS[p.role]
    const allowed = access === 'read' ? perms.read : access === 'act' ? perms.actions.length > 0 : perms.manage
    if (!allowed) throw new GangwanError('GW_ERR_API_FORBIDDEN', `role ${p.role} may not do this`)
  })
}
