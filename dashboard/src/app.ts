import type { AddressInfo } from 'node:net'
import fastifyCookie from '@fastify/cookie'
import fastifySwagger from '@fastify/swagger'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import {
  hasZodFastifySchemaValidationErrors, jsonSchemaTransform, jsonSchemaTransformObject,
  serializerCompiler, validatorCompiler, type ZodTypeProvider
} from 'fastify-type-provider-zod'
import type { Logger } from 'pino'
import { z } from 'zod'
import { GangwanError, type Community } from '@gangwan/contracts'
import type { Dispatch } from '@gangwan/dispatch'
import { HealthSchema, NAMED_SCHEMAS } from './api-schemas.ts'
import type { AuthStore } from './auth/auth-store.ts'
import { installAuthHook } from './auth/install-auth-hook.ts'
import { DashboardConfigSchema, type DashboardConfig, type DashboardConfigInput } from './config.ts'
import { codedError } from './coded-error.ts'
import type { CommandChannel } from './commands/command-channel.ts'
import { registerConsole } from './console-static.ts'
import type { CredentialIssuer } from './devices/credential-issuer.ts'
import type { DeviceDirectory } from './devices/device-directory.ts'
import type { RouteContext } from './route-context.ts'
import { adminRoutes } from './routes/admin-routes.ts'
import { authRoutes } from './routes/auth-routes.ts'
import { commandRoutes } from './routes/command-routes.ts'
import { communityRoutes } from './routes/community-routes.ts'
import { deviceRoutes } from './routes/device-routes.ts'
import { incidentRoutes } from './routes/incident-routes.ts'
import { metricsRoutes } from './routes/metrics-routes.ts'
import { streamRoutes } from './routes/stream-routes.ts'
import { telemetryRoutes } from './routes/telemetry-routes.ts'
import { createStreamRegistry } from './stream/stream-registry.ts'
import type { TelemetryHistory } from './telemetry/telemetry-history.ts'

/** What {@link createDashboard} needs. */
export interface DashboardDeps {
  dispatch: Dispatch
  auth: AuthStore
  log: Logger
  /** Wall clock (epoch ms) for sessions and audit; default `Date.now`. */
  now?: () => number
  /** The community file, for `GET /community` (the console's schematic). */
  community?: Community
  /** Device status for `GET /devices` and `/devices/summary`. */
  devices?: DeviceDirectory
  /** For `POST /devices/:id/credentials` (admins). */
  credentials?: CredentialIssuer
  /** For `GET /telemetry`. */
  telemetry?: TelemetryHistory
  /** For `/gateways/:gatewayId/commands` and `/commands/:id`. */
  commands?: CommandChannel
}

/** The dashboard API server. */
export interface Dashboard {
  app: FastifyInstance
  /** Listens on the configured host and port (or `port` when given); resolves with the base URL (`http://host:port`). */
  start: (port?: number) => Promise<{ url: string }>
  /** Ends open live streams, then closes the server (in-flight requests finish). Idempotent. */
  stop: () => Promise<void>
}

/** Prefix of every API route. */
export const API_PREFIX = '/api/v1'

/**
 * Builds the dashboard's HTTP API (fastify, OpenAPI 3.1 at `/api/v1/openapi.json`): login and
 * sessions, incidents and actions on them, metrics, the live stream, users and API tokens, and
 * what the operator console reads besides (community, devices, telemetry); and serves the
 * console's build at `/` (`config.consoleDir`).
 * Throws `GW_ERR_CONFIG_INVALID` for a bad config; has no side effect until `start()`.
 *
 * @example
 * const dashboard = createDashboard({ port: 8080 }, { dispatch, auth, log })
 * const { url } = await dashboard.start()
 */
export function createDashboard (configInput: DashboardConfigInput, deps: DashboardDeps): Dashboard {
  const parsed = DashboardConfigSchema.safeParse(configInput)
  if (!parsed.success) throw new GangwanError('GW_ERR_CONFIG_INVALID', `dashboard: ${z.prettifyError(parsed.error)}`)
  const config: DashboardConfig = Object.freeze(parsed.data)
  const log = deps.log.child({ component: 'dashboard' })
  const streams = createStreamRegistry()
  const ctx: RouteContext = {
    dispatch: deps.dispatch, auth: deps.auth, log, now: deps.now ?? Date.now, config,
    limits: { idleS: config.sessionIdleS, maxS: config.sessionMaxS }, streams,
    community: deps.community, devices: deps.devices, credentials: deps.credentials, telemetry: deps.telemetry, commands: deps.commands
  }

  const app = Fastify({ loggerInstance: log as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: config.bodyLimit, forceCloseConnections: 'idle' })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler((err, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(400).send({ code: 'GW_ERR_API_BAD_REQUEST', message: err.message })
    }
    const coded = codedError(err)
    // 501: a part this server lacks, a fact of its build rather than a failure worth an error log.
    if (coded !== undefined && (coded.status < 500 || coded.status === 501)) return reply.code(coded.status).send({ code: coded.code, message: coded.message })
    const status = (err as { statusCode?: number }).statusCode
    if (coded === undefined && status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ code: 'GW_ERR_API_BAD_REQUEST', message: (err as Error).message })
    }
    req.log.error({ err, url: req.url }, 'request failed')
    return reply.code(coded?.status ?? 500).send({ code: coded?.code ?? 'GW_ERR_API_INTERNAL', message: coded?.message ?? 'internal error' })
  })
  const consolePage = registerConsole(app, config.consoleDir)
  app.setNotFoundHandler((req, reply) => consolePage(req, reply) ? reply : reply.code(404).send({ code: 'GW_ERR_API_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` }))
  // Live streams never end by themselves: end them before the server waits for open requests.
  app.addHook('preClose', async () => { streams.closeAll() })

  // Named schemas become OpenAPI components. They go in zod's global registry, where `.describe()`
  // keeps its texts too (a registry of our own would hide those from the document).
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) {
    if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, { id })
  }
  void app.register(fastifyCookie)
  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Gangwan dashboard API', version: '1.0.0', description: 'Incidents, actions, metrics and the live stream of the Gangwan hub.' },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API token (gwt_…) or a session token (gws_…)' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: config.cookieName }
        }
      }
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject
  })
  void app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>()
    installAuthHook(api, ctx)
    authRoutes(api, ctx)
    incidentRoutes(api, ctx)
    metricsRoutes(api, ctx)
    streamRoutes(api, ctx)
    adminRoutes(api, ctx)
    communityRoutes(api, ctx)
    deviceRoutes(api, ctx)
    telemetryRoutes(api, ctx)
    commandRoutes(api, ctx)
    api.get('/healthz', { config: { access: 'public' }, schema: { tags: ['ops'], summary: 'Liveness', response: { 200: HealthSchema } } }, async () => ({ ok: true }))
    api.get('/openapi.json', { config: { access: 'public' }, schema: { tags: ['ops'], summary: 'This OpenAPI document' } }, async () => app.swagger())
  }, { prefix: API_PREFIX })

  let stopping: Promise<void> | undefined
  return {
    app,
    start: async (port = config.port) => {
      await app.listen({ host: config.host, port })
      const bound = app.server.address() as AddressInfo
      const host = bound.address.includes(':') ? `[${bound.address}]` : bound.address
      const url = `http://${host}:${bound.port}`
      log.info({ url }, 'dashboard listening')
      return { url }
    },
    stop: async () => {
      stopping ??= app.close().then(() => { log.info('dashboard stopped') })
      await stopping
    }
  }
}
