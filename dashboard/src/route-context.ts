import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Logger } from 'pino'
import type { Community } from '@gangwan/contracts'
import type { Dispatch } from '@gangwan/dispatch'
import type { AuthStore, SessionLimits } from './auth/auth-store.ts'
import type { Principal } from './auth/permissions.ts'
import type { CommandChannel } from './commands/command-channel.ts'
import type { DashboardConfig } from './config.ts'
import type { CredentialIssuer } from './devices/credential-issuer.ts'
import type { DeviceDirectory } from './devices/device-directory.ts'
import type { StreamRegistry } from './stream/stream-registry.ts'
import type { TelemetryHistory } from './telemetry/telemetry-history.ts'

/** What a route may require of the caller; checked before the request is parsed (401 before 400). */
export type Access = 'public' | 'read' | 'act' | 'manage'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; routes without it need `manage`. */
    access?: Access
  }
  interface FastifyRequest {
    /** The authenticated caller, or null. */
    principal: Principal | null
    /** The session's end when the caller used a session. */
    authExpiresAt: number | undefined
    /** The secret the caller presented (to end its session, or recheck it on a live stream). */
    secret: string | undefined
  }
}

/** The fastify instance with zod schemas as its type provider. */
export type Api = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>

/** What the routes share. */
export interface RouteContext {
  dispatch: Dispatch
  auth: AuthStore
  log: Logger
  now: () => number
  config: DashboardConfig
  limits: SessionLimits
  streams: StreamRegistry
  /** What the console reads beyond dispatch; a route whose part is absent answers 501. */
  community: Community | undefined
  devices: DeviceDirectory | undefined
  credentials: CredentialIssuer | undefined
  telemetry: TelemetryHistory | undefined
  commands: CommandChannel | undefined
}

/** Error answers every authenticated route may give, for the OpenAPI document. */
export const SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }]
