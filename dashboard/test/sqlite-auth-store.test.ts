import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GangwanError } from '@gangwan/contracts'
import { codedError } from '../src/coded-error.ts'
import { createSqliteAuthStore, seedUsers, type AuthStore, type NewUser } from '../src/index.ts'

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gangwan-auth-store-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

const LIMITS = { idleS: 600, maxS: 3600 }
const T = 1_800_000_000_000
const alice: NewUser = { id: 'alice', name: 'Alice', role: 'operator', password: 'correct horse battery' }
const bob: NewUser = { id: 'bob', name: 'Bob', role: 'handler', department: 'FCR-01', password: 'correct horse battery' }

async function withStore (name: string, fn: (s: AuthStore, path: string) => Promise<void>): Promise<void> {
  const path = join(dir, `${name}.db`)
  const s = createSqliteAuthStore({ path })
  try { await fn(s, path) } finally { await s.close() }
}
const raw = <T>(path: string, fn: (db: DatabaseSync) => T): T => {
  const db = new DatabaseSync(path)
  try { return fn(db) } finally { db.close() }
}

describe('SQLite auth store', () => {
  it('is in WAL mode and keeps no password or secret in clear: scrypt hashes with their own salts, SHA-256 of secrets', async () => {
    await withStore('clear', async (s, path) => {
      await s.createUser(alice, T)
      await s.createUser(bob, T)
      const session = await s.createSession('alice', T, LIMITS)
      const token = await s.createToken({ name: 'bms', role: 'viewer' }, T)
      await s.close()
      expect(raw(path, (db) => db.prepare('PRAGMA journal_mode').get())).toEqual({ journal_mode: 'wal' })
      const hashes = raw(path, (db) => db.prepare('SELECT password_hash FROM users ORDER BY id').all().map((r) => String(r.password_hash)))
      for (const h of hashes) expect(h).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
      // Same password, different salt, different hash.
      expect(hashes[0]!.split('$')[4]).not.toBe(hashes[1]!.split('$')[4])
      expect(hashes[0]).not.toBe(hashes[1])
      const file = Buffer.concat(await Promise.all(['', '-wal'].map(async (sfx) => await readFile(path + sfx).catch(() => Buffer.alloc(0)))))
      for (const secret of ['correct horse battery', session.token, token.token, session.token.slice(4), token.token.slice(4)]) {
        expect(file.includes(Buffer.from(secret)), secret.slice(0, 8)).toBe(false)
      }
    })
  })

  it('verifies passwords: right one gives the user, wrong one or unknown user gives nothing', async () => {
    await withStore('verify', async (s) => {
      await s.createUser(alice, T)
      expect(await s.verifyPassword('alice', 'correct horse battery')).toEqual({ id: 'alice', name: 'Alice', role: 'operator', createdAt: T })
      expect(await s.verifyPassword('alice', 'correct horse batterY')).toBeUndefined()
      expect(await s.verifyPassword('nobody', 'correct horse battery')).toBeUndefined()
    })
  })

  const USERS: Array<[string, unknown, string | undefined]> = [
    ['a handler with a department', { ...bob }, undefined],
    ['a handler without department', { ...bob, department: undefined }, 'GW_ERR_API_BAD_REQUEST'],
    ['an operator with a department', { ...alice, department: 'FCR-01' }, 'GW_ERR_API_BAD_REQUEST'],
    ['a short password', { ...alice, password: 'short' }, 'GW_ERR_API_BAD_REQUEST'],
    ['an id with a space', { ...alice, id: 'a b' }, 'GW_ERR_API_BAD_REQUEST'],
    ['an unknown role', { ...alice, role: 'root' }, 'GW_ERR_API_BAD_REQUEST']
  ]
  for (const [what, user, code] of USERS) {
    it(`createUser with ${what}: ${code ?? 'created'}`, async () => {
      await withStore(`create-${what.replaceAll(' ', '-')}`, async (s) => {
        const p = s.createUser(user as NewUser, T)
        if (code === undefined) await expect(p).resolves.toMatchObject({ id: (user as NewUser).id })
        else await expect(p).rejects.toMatchObject({ code })
      })
    })
  }

  it('sessions end after idle time or at the absolute limit, whichever is first, and are deleted then', async () => {
    await withStore('sessions', async (s, path) => {
      await s.createUser(alice, T)
      const a = await s.createSession('alice', T, LIMITS)
      expect(a.expiresAt).toBe(T + 600_000)
      expect(await s.authenticate(a.token, T + 599_000, LIMITS)).toEqual({ principal: { type: 'user', id: 'alice', name: 'Alice', role: 'operator' }, expiresAt: T + 1_199_000 })
      // The idle clock restarts at most every 30 s (no write per request)…
      expect((await s.authenticate(a.token, T + 620_000, LIMITS))?.expiresAt).toBe(T + 1_199_000)
      // …and not at all without touch.
      expect((await s.authenticate(a.token, T + 1_000_000, LIMITS, false))?.expiresAt).toBe(T + 1_199_000)
      expect(await s.authenticate(a.token, T + 1_199_000, LIMITS)).toBeUndefined()
      const b = await s.createSession('alice', T, LIMITS)
      for (let t = T + 500_000; t < T + 3_600_000; t += 500_000) expect(await s.authenticate(b.token, t, LIMITS), String(t)).toBeDefined()
      expect(await s.authenticate(b.token, T + 3_600_000, LIMITS)).toBeUndefined()
      expect(raw(path, (db) => db.prepare('SELECT count(*) AS n FROM sessions').get())).toEqual({ n: 0 })
    })
  })

  it('a new login deletes every expired session; logout deletes its own', async () => {
    await withStore('prune', async (s, path) => {
      await s.createUser(alice, T)
      const count = (): unknown => raw(path, (db) => db.prepare('SELECT count(*) AS n FROM sessions').get())
      await s.createSession('alice', T, LIMITS)
      await s.createSession('alice', T, LIMITS)
      const live = await s.createSession('alice', T + 700_000, LIMITS)
      expect(count()).toEqual({ n: 1 })
      await s.deleteSession(live.token)
      expect(count()).toEqual({ n: 0 })
      await expect(s.createSession('ghost', T, LIMITS)).rejects.toMatchObject({ code: 'GW_ERR_API_NOT_FOUND' })
    })
  })

  it('API tokens authenticate with their role until revoked; unknown secrets authenticate nothing', async () => {
    await withStore('tokens', async (s) => {
      const t = await s.createToken({ name: 'fcr bridge', role: 'handler', department: 'FCR-01' }, T)
      expect(await s.authenticate(t.token, T, LIMITS)).toEqual({ principal: { type: 'token', id: t.id, name: 'fcr bridge', role: 'handler', department: 'FCR-01' } })
      expect(await s.listTokens()).toEqual([{ id: t.id, name: 'fcr bridge', role: 'handler', department: 'FCR-01', createdAt: T }])
      expect(await s.revokeToken(t.id, T + 1)).toBe(true)
      expect(await s.revokeToken(t.id, T + 2)).toBe(false)
      expect(await s.authenticate(t.token, T + 3, LIMITS)).toBeUndefined()
      expect((await s.listTokens())[0]?.revokedAt).toBe(T + 1)
      for (const secret of ['', 'gwt_', 'gws_', 'random', t.token.replace('gwt_', 'gws_')]) expect(await s.authenticate(secret, T, LIMITS), secret).toBeUndefined()
      await expect(s.createToken({ name: 'x', role: 'handler' }, T)).rejects.toMatchObject({ code: 'GW_ERR_API_BAD_REQUEST' })
    })
  })

  it('seedUsers creates the missing users only and leaves existing ones as they are', async () => {
    await withStore('seed', async (s) => {
      expect(await seedUsers(s, [alice, bob], T)).toEqual(['alice', 'bob'])
      expect(await seedUsers(s, [{ ...alice, password: 'another password', role: 'admin' }, { id: 'carol', name: 'Carol', role: 'viewer', password: 'carol-password' }], T)).toEqual(['carol'])
      expect((await s.getUser('alice'))?.role).toBe('operator')
      expect(await s.verifyPassword('alice', 'correct horse battery')).toBeDefined()
      expect((await s.listUsers()).map((u) => u.id)).toEqual(['alice', 'bob', 'carol'])
    })
  })

  it('two stores on one file see each other\'s sessions', async () => {
    const path = join(dir, 'shared.db')
    const a = createSqliteAuthStore({ path })
    const b = createSqliteAuthStore({ path })
    try {
      await a.createUser(alice, T)
      const session = await a.createSession('alice', T, LIMITS)
      expect((await b.authenticate(session.token, T, LIMITS))?.principal.id).toBe('alice')
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('after close() every call rejects with GW_ERR_AUTH_STORE_UNAVAILABLE; a newer schema or a bad path is refused', async () => {
    const s = createSqliteAuthStore({ path: join(dir, 'closed.db') })
    await s.close()
    await s.close()
    await expect(s.listUsers()).rejects.toMatchObject({ code: 'GW_ERR_AUTH_STORE_UNAVAILABLE' })
    const newer = join(dir, 'newer.db')
    raw(newer, (db) => db.exec('PRAGMA user_version = 9'))
    expect(() => createSqliteAuthStore({ path: newer })).toThrow(expect.objectContaining({ code: 'GW_ERR_AUTH_STORE_UNAVAILABLE', message: expect.stringMatching(/schema 9 is newer than 1/) }))
    expect(() => createSqliteAuthStore({ path: join(dir, 'missing', 'x.db') })).toThrow(expect.objectContaining({ code: 'GW_ERR_AUTH_STORE_UNAVAILABLE' }))
  })
})

describe('error codes', () => {
  const MAP: Array<[string, number]> = [
    ['GW_ERR_DISPATCH_NOT_FOUND', 404], ['GW_ERR_DISPATCH_STALE', 409], ['GW_ERR_DISPATCH_INVALID_TRANSITION', 409],
    ['GW_ERR_DISPATCH_INVALID_ACTION', 400], ['GW_ERR_DISPATCH_NO_ROUTE', 400], ['GW_ERR_DISPATCH_STORE_UNAVAILABLE', 503],
    ['GW_ERR_API_UNAUTHENTICATED', 401], ['GW_ERR_API_FORBIDDEN', 403], ['GW_ERR_AUTH_BAD_CREDENTIALS', 401], ['GW_ERR_CONFIG_INVALID', 500]
  ]
  for (const [code, status] of MAP) {
    it(`${code} answers ${status}`, () => {
      expect(codedError(new GangwanError(code as never))).toEqual({ code, status, message: expect.any(String) })
    })
  }
  it('an uncoded error has no mapping (it becomes a 500 GW_ERR_API_INTERNAL)', () => {
    expect(codedError(new Error('boom'))).toBeUndefined()
  })
})
