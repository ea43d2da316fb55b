import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/** scrypt cost parameters as stored beside each hash, so they can be raised later without a migration. */
export interface ScryptParams { N: number, r: number, p: number }

/** A secret's scrypt hash with its salt and parameters. */
export interface SecretHash { params: ScryptParams & { maxmem: number }, salt: Buffer, hash: Buffer }

/** RFC 7914 §2 interactive-login parameters (N = 2^14, r = 8, p = 1): ~16 MiB and tens of ms per hash. */
export const SCRYPT_PARAMS: ScryptParams = { N: 16_384, r: 8, p: 1 }
const SALT_BYTES = 16
const KEY_BYTES = 32
const PREFIX = 'scrypt'

// Node refuses scrypt when 128·N·r exceeds maxmem; leave headroom over that.
const withMaxmem = (p: ScryptParams): ScryptParams & { maxmem: number } => ({ ...p, maxmem: 256 * p.N * p.r + 1024 * 1024 })

/** Hashes a secret with a fresh 16-byte salt and {@link SCRYPT_PARAMS}. */
export async function hashSecret (secret: string, params: ScryptParams = SCRYPT_PARAMS): Promise<SecretHash> {
  const salt = randomBytes(SALT_BYTES)
  const full = withMaxmem(params)
  return { params: full, salt, hash: await derive(secret, salt, KEY_BYTES, full) }
}

/** Whether `secret` hashes to `stored` (scrypt on the libuv pool, constant-time comparison). */
export async function verifySecret (secret: string, stored: SecretHash): Promise<boolean> {
  const derived = await derive(secret, stored.salt, stored.hash.length, stored.params)
  return derived.length === stored.hash.length && timingSafeEqual(derived, stored.hash)
}

async function derive (secret: string, salt: Buffer, length: number, params: SecretHash['params']): Promise<Buffer> {
  return await new Promise<Buffer>((resolve, reject) => {
    scrypt(secret, salt, length, params, (err, key) => { if (err) reject(err); else resolve(key) })
  })
}

/**
 * Text form stored in the database: `scrypt$N=16384,r=8,p=1$<salt>$<hash>` (base64url).
 *
 * @example formatSecretHash(await hashSecret('s3cret')).startsWith('scrypt$N=16384,r=8,p=1$') // true
 */
export function formatSecretHash (h: SecretHash): string {
  const { N, r, p } = h.params
  return `${PREFIX}$N=${N},r=${r},p=${p}$${h.salt.toString('base64url')}$${h.hash.toString('base64url')}`
}

/**
 * Parses {@link formatSecretHash} output; `null` when malformed or when its parameters are outside
 * sane bounds (a tampered row must not make one verification allocate gigabytes).
 */
export function parseSecretHash (text: string): SecretHash | null {
  const parts = text.split('$')
  if (parts.length !== 4 || parts[0] !== PREFIX) return null
  const m = /^N=(\d+),r=(\d+),p=(\d+)$/.exec(parts[1] ?? '')
  if (m === null) return null
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0
  if (!powerOfTwo || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return null
  const salt = Buffer.from(parts[2] ?? '', 'base64url')
  const hash = Buffer.from(parts[3] ?? '', 'base64url')
  if (salt.length < 8 || hash.length < 16) return null
  return { params: withMaxmem({ N, r, p }), salt, hash }
}
