import { GangwanError } from '@gangwan/contracts'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { ApiToken, AuthStore, Authenticated, NewSession, SessionLimits, User } from './auth-store.ts'
import { NewUserSchema } from './auth-store.ts'
import { openAuthDatabase } from './open-auth-database.ts'
import { hashPassword, verifyPassword } from './password-hash.ts'
import { RoleSchema } from './permissions.ts'

/** Options for {@link createSqliteAuthStore}. */
export interface SqliteAuthStoreOptions {
  /** SQLite file, created if missing. */
  path: string
  /** How long a writer waits for another connection's write lock (ms); default 5000. */
  busyTimeoutMs?: number
}

/** Secrets carry a prefix so a leaked one is recognisable (secret scanners) and routed to its table. */
const SESSION_PREFIX = 'gws_'
const TOKEN_PREFIX = 'gwt_'

/** The idle clock restarts at most this often, so a busy console does not write at every request. */
const TOUCH_EVERY_MS = 30_000

const newSecret = (prefix: string): string => prefix + randomBytes(32).toString('base64url')
const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest()

type Row = Record<string, unknown>
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v))

function toUser (r: Row): User {
  const dept = opt(r.department)
  return { id: String(r.id), name: String(r.name), role: RoleSchema.parse(r.role), ...(dept !== undefined ? { department: dept } : {}), createdAt: Number(r.created_at) }
}

function toToken (r: Row): ApiToken {
  const dept = opt(r.department)
  const revoked = r.revoked_at === null ? undefined : Number(r.revoked_at)
  return {
    id: String(r.id), name: String(r.name), role: RoleSchema.parse(r.role), ...(dept !== undefined ? { department: dept } : {}),
    createdAt: Number(r.created_at), ...(revoked !== undefined ? { revokedAt: revoked } : {})
  }
}

const expiry = (createdAt: number, lastUsedAt: number, l: SessionLimits): number => Math.min(lastUsedAt + l.idleS * 1000, createdAt + l.maxS * 1000)

/**
 * The SQLite {@link AuthStore} (node:sqlite, WAL). Statements run synchronously on one connection,
 * so each method is atomic; only scrypt runs off the event loop.
 *
 * @example
 * const auth = createSqliteAuthStore({ path: join(dataDir, 'auth.db') })
 * const session = await auth.createSession('op-1', Date.now(), { idleS: 28_800, maxS: 86_400 })
 */
export function createSqliteAuthStore (opts: SqliteAuthStoreOptions): AuthStore {
  const db = openAuthDatabase(opts.path, opts.busyTimeoutMs ?? 5000)
  let closed = false
  const q = {
    insertUser: db.prepare('INSERT INTO users (id, name, role, department, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    user: db.prepare('SELECT id, name, role, department, created_at FROM users WHERE id = ?'),
    hash: db.prepare('SELECT password_hash FROM users WHERE id = ?'),
    users: db.prepare('SELECT id, name, role, department, created_at FROM users ORDER BY id'),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)'),
    session: db.prepare(`SELECT s.created_at AS s_created, s.last_used_at, u.id, u.name, u.role, u.department, u.created_at
      FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`),
    touch: db.prepare('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    prune: db.prepare('DELETE FROM sessions WHERE last_used_at + ? <= ? OR created_at + ? <= ?'),
    insertToken: db.prepare('INSERT INTO api_tokens (id, token_hash, name, role, department, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    token: db.prepare('SELECT id, name, role, department FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL'),
    tokens: db.prepare('SELECT id, name, role, department, created_at, revoked_at FROM api_tokens ORDER BY created_at, id'),
    revoke: db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
  }

  /** Runs `fn` unless closed; turns SQLite failures into `GW_ERR_AUTH_STORE_UNAVAILABLE`. */
  async function run<T> (fn: () => T | Promise<T>): Promise<T> {
    if (closed) throw new GangwanError('GW_ERR_AUTH_STORE_UNAVAILABLE', 'auth store is closed')
    try {
      return await fn()
    } catch (err) {
      if (err instanceof GangwanError) throw err
      throw new GangwanError('GW_ERR_AUTH_STORE_UNAVAILABLE', (err as Error).message, { cause: err })
    }
  }

  return {
    createUser: (user, now) => run(async () => {
      const parsed = NewUserSchema.safeParse(user)
      if (!parsed.success) throw new GangwanError('GW_ERR_API_BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
      const u = parsed.data
      const hash = await hashPassword(u.password)
      try {
        q.insertUser.run(u.id, u.name, u.role, u.department ?? null, hash, now)
      } catch (err) {
        if (/UNIQUE constraint failed/.test((err as Error).message)) throw new GangwanError('GW_ERR_API_CONFLICT', `user "${u.id}" exists`)
        throw err
      }
      return toUser(q.user.get(u.id) as Row)
    }),
    getUser: (id) => run(() => { const r = q.user.get(id); return r === undefined ? undefined : toUser(r) }),
    listUsers: () => run(() => q.users.all().map(toUser)),
    verifyPassword: (id, password) => run(async () => {
      const row = q.hash.get(id)
      const ok = await verifyPassword(password, row === undefined ? undefined : String(row.password_hash))
      if (!ok) return undefined
      const u = q.user.get(id)
      return u === undefined ? undefined : toUser(u)
    }),
    createSession: (userId, now, limits): Promise<NewSession> => run(() => {
      const user = q.user.get(userId)
      if (user === undefined) throw new GangwanError('GW_ERR_API_NOT_FOUND', `no user "${userId}"`)
      q.prune.run(limits.idleS * 1000, now, limits.maxS * 1000, now)
      const token = newSecret(SESSION_PREFIX)
      q.insertSession.run(digest(token), userId, now, now)
      return { token, expiresAt: expiry(now, now, limits), user: toUser(user) }
    }),
    authenticate: (secret, now, limits, touch = true) => run((): Authenticated | undefined => {
      if (secret.startsWith(TOKEN_PREFIX)) {
        const t = q.token.get(digest(secret))
        if (t === undefined) return undefined
        const dept = opt(t.department)
        return { principal: { type: 'token', id: String(t.id), name: String(t.name), role: RoleSchema.parse(t.role), ...(dept !== undefined ? { department: dept } : {}) } }
      }
      if (!secret.startsWith(SESSION_PREFIX)) return undefined
      const hash = digest(secret)
      const s = q.session.get(hash)
      if (s === undefined) return undefined
      const created = Number(s.s_created)
      if (now >= expiry(created, Number(s.last_used_at), limits)) {
        q.deleteSession.run(hash)
        return undefined
      }
      let lastUsed = Number(s.last_used_at)
      if (touch && now - lastUsed >= TOUCH_EVERY_MS) {
        q.touch.run(now, hash)
        lastUsed = now
      }
      const { createdAt: _c, ...principal } = toUser(s)
      return { principal: { type: 'user', ...principal }, expiresAt: expiry(created, lastUsed, limits) }
    }),
    deleteSession: (secret) => run(() => { if (secret.startsWith(SESSION_PREFIX)) q.deleteSession.run(digest(secret)) }),
    createToken: (t, now) => run(() => {
      if ((t.role === 'handler') !== (t.department !== undefined)) {
        throw new GangwanError('GW_ERR_API_BAD_REQUEST', 'department: a handler token needs a department and only a handler token has one')
      }
      const id = `tok_${randomUUID()}`
      const token = newSecret(TOKEN_PREFIX)
      q.insertToken.run(id, digest(token), t.name, t.role, t.department ?? null, now)
      return { id, token }
    }),
    listTokens: () => run(() => q.tokens.all().map(toToken)),
    revokeToken: (id, now) => run(() => Number(q.revoke.run(now, id).changes) > 0),
    close: async () => {
      if (closed) return
      closed = true
      db.close()
    }
  }
}
