import { z } from 'zod'
import type { CookieSerializeOptions } from '@fastify/cookie'
import { GangwanError } from '@gangwan/contracts'
import { ErrorBodySchema, LoginBodySchema, LoginResponseSchema, MeResponseSchema } from '../api-schemas.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'

/**
 * Console login: a session whose secret is both returned (for API clients) and set as an
 * HttpOnly, SameSite=Strict cookie (browsers; RFC 6265bis §5.4.7: never sent on cross-site
 * requests, which is the CSRF defence, so no CSRF token is needed).
 */
export function authRoutes (api: Api, ctx: RouteContext): void {
  const cookie = (maxAgeS: number): CookieSerializeOptions => ({
    httpOnly: true, sameSite: 'strict', secure: ctx.config.secureCookies, path: '/api', maxAge: maxAgeS
  })

  api.post('/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Log in with a username and password',
      body: LoginBodySchema,
      response: { 200: LoginResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema }
    }
  }, async (req, reply) => {
    const user = await ctx.auth.verifyPassword(req.body.username, req.body.password)
    if (user === undefined) {
      ctx.log.warn({ username: req.body.username, ip: req.ip }, 'login refused')
      throw new GangwanError('GW_ERR_AUTH_BAD_CREDENTIALS')
    }
    const session = await ctx.auth.createSession(user.id, ctx.now(), ctx.limits)
    reply.setCookie(ctx.config.cookieName, session.token, cookie(ctx.config.sessionMaxS))
    ctx.log.info({ userId: user.id, role: user.role }, 'logged in')
    return session
  })

  api.post('/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'End the current session (idempotent)', security: SECURITY, response: { 204: z.null().describe('logged out') } }
  }, async (req, reply) => {
    if (req.secret !== undefined) await ctx.auth.deleteSession(req.secret)
    reply.clearCookie(ctx.config.cookieName, { path: '/api' })
    return await reply.code(204).send(null)
  })

  api.get('/auth/me', {
    config: { access: 'read' },
    schema: { tags: ['auth'], summary: 'Who is logged in', security: SECURITY, response: { 200: MeResponseSchema, 401: ErrorBodySchema } }
  }, async (req) => {
    const principal = req.principal
    if (principal === null) throw new GangwanError('GW_ERR_API_UNAUTHENTICATED')
    return { principal, ...(req.authExpiresAt !== undefined ? { expiresAt: req.authExpiresAt } : {}) }
  })
}
