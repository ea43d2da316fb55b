import { IdSchema } from '@gangwan/contracts'
import { z } from 'zod'
import { RoleSchema, type Principal, type Role } from './permissions.ts'

/** A console user as the API shows it (never with its password hash). */
export const UserSchema = z.object({
  /** Login name; for a handler the id the community file gives them. */
  id: IdSchema,
  name: z.string().min(1).max(100),
  role: RoleSchema,
  /** Required for handlers, absent for other roles. */
  department: IdSchema.optional(),
  createdAt: z.number().int()
}).strict()
export type User = z.infer<typeof UserSchema>

/** What creates a user; the password is hashed with scrypt and then forgotten. */
export const NewUserSchema = z.object({
  id: IdSchema,
  name: z.string().min(1).max(100),
  role: RoleSchema,
  department: IdSchema.optional(),
  password: z.string().min(8).max(256)
}).strict().refine((u) => (u.role === 'handler') === (u.department !== undefined), {
  message: 'a handler needs a department and only a handler has one', path: ['department']
})
export type NewUser = z.infer<typeof NewUserSchema>

/** An integrator's API token as listed (the secret itself is shown once, at creation). */
export const ApiTokenSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(100),
  role: RoleSchema,
  department: IdSchema.optional(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().optional()
}).strict()
export type ApiToken = z.infer<typeof ApiTokenSchema>

/** Session lifetime: it ends `idleS` after its last use or `maxS` after login, whichever is first. */
export interface SessionLimits { idleS: number; maxS: number }

/** A session's secret (returned once, at login) and when it ends if not used again. */
export interface NewSession { token: string; expiresAt: number; user: User }

/** A principal found from a presented secret, with when its session ends (tokens: no end). */
export interface Authenticated { principal: Principal; expiresAt?: number }

/**
 * Users, sessions and API tokens of the operator console. Secrets (session tokens, API tokens) are
 * random 32-byte values kept only as SHA-256 hashes; passwords as scrypt hashes with a per-user
 * salt. `createSqliteAuthStore` is the implementation (node:sqlite, WAL).
 *
 * Errors: `GW_ERR_API_CONFLICT` for a user id that exists, `GW_ERR_API_BAD_REQUEST` for an invalid
 * user or token, `GW_ERR_AUTH_STORE_UNAVAILABLE` after `close()` or when the file cannot be used.
 *
 * @example
 * const auth = createSqliteAuthStore({ path: 'auth.db' })
 * await auth.createUser({ id: 'op-1', name: 'Operator 1', role: 'operator', password: 's3cret-pass' }, Date.now())
 * const user = await auth.verifyPassword('op-1', 's3cret-pass')
 */
export interface AuthStore {
  createUser: (user: NewUser, now: number) => Promise<User>
  getUser: (id: string) => Promise<User | undefined>
  listUsers: () => Promise<User[]>
  /** The user when the password matches, else undefined (the same work is done for unknown users). */
  verifyPassword: (id: string, password: string) => Promise<User | undefined>
  /** Starts a session for a user; also deletes every expired session. */
  createSession: (userId: string, now: number, limits: SessionLimits) => Promise<NewSession>
  /**
   * Authenticates a session or API token secret. A valid session's idle clock restarts unless
   * `touch` is false; an expired session is deleted and, like an unknown or revoked secret, gives undefined.
   */
  authenticate: (secret: string, now: number, limits: SessionLimits, touch?: boolean) => Promise<Authenticated | undefined>
  /** Ends the session of that secret (no-op for unknown secrets and API tokens). */
  deleteSession: (secret: string) => Promise<void>
  /** Creates an API token; the returned `token` is its only appearance in clear. */
  createToken: (token: { name: string; role: Role; department?: string }, now: number) => Promise<{ id: string; token: string }>
  listTokens: () => Promise<ApiToken[]>
  /** Revokes a token; false when no unrevoked token has that id. */
  revokeToken: (id: string, now: number) => Promise<boolean>
  /** Releases the database; later calls reject with `GW_ERR_AUTH_STORE_UNAVAILABLE`. Idempotent. */
  close: () => Promise<void>
}
