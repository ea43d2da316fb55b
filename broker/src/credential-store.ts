import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import { z } from 'zod'
import { GangwanError, IdSchema } from '@gangwan/contracts'
import { formatSecretHash, hashSecret, parseSecretHash, verifySecret } from './secret-hash.ts'

/**
 * What a credential may do: a `gateway` or a direct `device` owns `gangwan/v1/{id}/`; a `service`
 * (hub-internal, e.g. the dashboard) may send commands to any namespace and read everything.
 */
export type Role = 'gateway' | 'device' | 'service'
/** zod schema of {@link Role}. */
export const RoleSchema = z.enum(['gateway', 'device', 'service'])

/** A provisioned credential, without its secret. `createdAt` is when the id was first provisioned (epoch ms). */
export interface Credential { id: string, role: Role, createdAt: number }

/** Registry of MQTT credentials: the username is the id, the password the secret. */
export interface CredentialStore {
  /** Creates or rotates `id`; returns the plaintext secret once (256 random bits, base64url). */
  provision: (id: string, role: Role) => Promise<string>
  /** The credential when `secret` is the current secret of `id`, else `null`. */
  verify: (id: string, secret: string) => Promise<Credential | null>
  get: (id: string) => Credential | undefined
  has: (id: string) => boolean
  revoke: (id: string) => void
  list: () => Credential[]
  close: () => void
}

/** Longest password verify() will hash; real secrets are 43 characters. */
const MAX_SECRET_LENGTH = 512
/** Bound on cached verifications; past it the oldest entry goes. */
const MAX_CACHE_ENTRIES = 50_000

interface Row { id: string, role: string, created_at: number, secret_hash: string }
interface CacheEntry { secretHash: string, digest: Buffer }

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()
const toCredential = (r: Row): Credential => ({ id: r.id, role: r.role as Role, createdAt: r.created_at })

/**
 * Opens (or creates) the credential registry in SQLite (`node:sqlite`, WAL). Secrets are stored as
 * scrypt hashes with their parameters. Successful verifications are cached in memory, keyed by the
 * id and the SHA-256 of the secret and tied to the stored hash, so a reconnect storm does not run
 * scrypt (~16 MiB, tens of ms) once per CONNECT; a rotation or revocation, even by another
 * process, changes or removes the stored hash and so invalidates the entry.
 *
 * @example
 * const store = createCredentialStore({ path: 'data/credentials.sqlite' })
 * const secret = await store.provision('GW-B03', 'gateway') // hand to the gateway once
 */
export function createCredentialStore (opts: { path: string, now?: () => number }): CredentialStore {
  const now = opts.now ?? Date.now
  const db = new DatabaseSync(opts.path)
  if (opts.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA busy_timeout = 5000')
  db.exec(`CREATE TABLE IF NOT EXISTS credentials (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('gateway', 'device', 'service')),
    created_at INTEGER NOT NULL,
    secret_hash TEXT NOT NULL
  ) STRICT`)
  const selectOne = db.prepare('SELECT id, role, created_at, secret_hash FROM credentials WHERE id = ?')
  const selectAll = db.prepare('SELECT id, role, created_at, secret_hash FROM credentials ORDER BY id')
  const upsert = db.prepare(`INSERT INTO credentials (id, role, created_at, secret_hash) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET role = excluded.role, secret_hash = excluded.secret_hash`)
  const remove = db.prepare('DELETE FROM credentials WHERE id = ?')
  const cache = new Map<string, CacheEntry>()
  let closed = false

  const row = (id: string): Row | undefined => closed ? undefined : selectOne.get(id) as Row | undefined

  return {
    async provision (id, role) {
      if (!IdSchema.safeParse(id).success) throw new GangwanError('GW_ERR_CONFIG_INVALID', `credential id "${id}" is not an id`)
      if (!RoleSchema.safeParse(role).success) throw new GangwanError('GW_ERR_CONFIG_INVALID', `credential role "${role}" is unknown`)
      const secret = randomBytes(32).toString('base64url')
      const hash = formatSecretHash(await hashSecret(secret))
      if (closed) throw new GangwanError('GW_ERR_CONFIG_INVALID', 'credential store is closed')
      cache.delete(id)
      upsert.run(id, role, now(), hash)
      return secret
    },

    async verify (id, secret) {
      if (typeof secret !== 'string' || secret.length === 0 || secret.length > MAX_SECRET_LENGTH) return null
      const found = row(id)
      if (found === undefined) { cache.delete(id); return null }
      const digest = sha256(secret)
      const hit = cache.get(id)
      if (hit !== undefined && hit.secretHash === found.secret_hash && timingSafeEqual(hit.digest, digest)) return toCredential(found)
      const stored = parseSecretHash(found.secret_hash)
      if (stored === null || !await verifySecret(secret, stored)) return null
      // A rotation or revocation may have landed while scrypt ran: the secret must still be current.
      const current = row(id)
      if (current?.secret_hash !== found.secret_hash) return null
      if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string)
      cache.set(id, { secretHash: found.secret_hash, digest })
      return toCredential(current)
    },

    get (id) {
      const found = row(id)
      return found === undefined ? undefined : toCredential(found)
    },
    has: (id) => row(id) !== undefined,
    revoke (id) {
      cache.delete(id)
      if (!closed) remove.run(id)
    },
    list: () => closed ? [] : (selectAll.all() as unknown as Row[]).map(toCredential),
    close () {
      if (closed) return
      closed = true
      cache.clear()
      db.close()
    }
  }
}
