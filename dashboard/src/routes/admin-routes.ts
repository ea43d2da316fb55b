import { GangwanError } from '@gangwan/contracts'
import { z } from 'zod'
import {
  CreatedTokenSchema, CreateTokenBodySchema, CreateUserBodySchema, ErrorBodySchema, TokenListSchema, TokenParamsSchema,
  UserListSchema, UserResponseSchema
} from '../api-schemas.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'

const ERRORS = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema }

/** Users and integrators' API tokens; admins only (the routes' `access` is `manage`). */
export function adminRoutes (api: Api, ctx: RouteContext): void {
  const config = { access: 'manage' as const }

  api.post('/users', {
    config,
    schema: { tags: ['admin'], summary: 'Create a console user', security: SECURITY, body: CreateUserBodySchema, response: { 201: UserResponseSchema, ...ERRORS, 409: ErrorBodySchema } }
  }, async (req, reply) => {
    const user = await ctx.auth.createUser(req.body, ctx.now())
    ctx.log.info({ userId: user.id, role: user.role, by: req.principal?.id }, 'user created')
    return await reply.code(201).send({ user })
  })

  api.get('/users', {
    config,
    schema: { tags: ['admin'], summary: 'List console users', security: SECURITY, response: { 200: UserListSchema, ...ERRORS } }
  }, async () => ({ items: await ctx.auth.listUsers() }))

  api.post('/tokens', {
    config,
    schema: {
      tags: ['admin'], summary: 'Create an API token; its secret is in this answer only', security: SECURITY,
      body: CreateTokenBodySchema, response: { 201: CreatedTokenSchema, ...ERRORS }
    }
  }, async (req, reply) => {
    const created = await ctx.auth.createToken(req.body, ctx.now())
    ctx.log.info({ tokenId: created.id, role: req.body.role, by: req.principal?.id }, 'API token created')
    return await reply.code(201).send(created)
  })

  api.get('/tokens', {
    config,
    schema: { tags: ['admin'], summary: 'List API tokens (without their secrets)', security: SECURITY, response: { 200: TokenListSchema, ...ERRORS } }
  }, async () => ({ items: await ctx.auth.listTokens() }))

  api.delete('/tokens/:id', {
    config,
    schema: {
      tags: ['admin'], summary: 'Revoke an API token', security: SECURITY, params: TokenParamsSchema,
      response: { 204: z.null().describe('revoked'), ...ERRORS, 404: ErrorBodySchema }
    }
  }, async (req, reply) => {
    if (!await ctx.auth.revokeToken(req.params.id, ctx.now())) throw new GangwanError('GW_ERR_API_NOT_FOUND', `no active token "${req.params.id}"`)
    ctx.log.info({ tokenId: req.params.id, by: req.principal?.id }, 'API token revoked')
    return await reply.code(204).send(null)
  })
}
