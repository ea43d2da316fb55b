import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (OWASP Password Storage Cheat Sheet's scrypt minimum is
 * N = 2^17 with 128 MiB; 2^15 needs 32 MiB and ~50 ms here, kept lower because logins share the
 * hub's event loop pool). The parameters are stored with each hash so they can be raised later.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LEN = 32
const SALT_LEN = 16

function derive (password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LEN, { ...opts, maxmem: 256 * (opts.N ?? 0) * (opts.r ?? 8) }, (err, key) => {
      if (err !== null) reject(err)
      else resolve(key)
    })
  })
}

/**
 * Hashes a password with scrypt and a fresh random salt, as `scrypt$N$r$p$salt$hash` (base64url).
 *
 * @example const stored = await hashPassword('correct horse battery staple')
 */
export async function hashPassword (password: string): Promise<string> {
  const salt = randomBytes(SALT_LEN)
  const key = await derive(password, salt, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** A well-formed hash of no password, to spend the same time on an unknown user. */
let decoy: Promise<string> | undefined

/**
 * Checks a password against a stored hash in constant time; with `stored` undefined it does the
 * same work against a decoy and answers false, so response time does not reveal which users exist.
 */
export async function verifyPassword (password: string, stored: string | undefined): Promise<boolean> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'))
  const parts = (stored ?? await decoy).split('$')
  const [kind, n, r, p, salt, hash] = parts
  if (parts.length !== 6 || kind !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) })
  return stored !== undefined && key.length === expected.length && timingSafeEqual(key, expected)
}
