import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GangwanError } from '@gangwan/contracts'
import { createCredentialStore, type CredentialStore } from '../src/index.ts'

let dir: string
let path: string
const open: CredentialStore[] = []
const store = (p = path, now?: () => number): CredentialStore => {
  const s = createCredentialStore({ path: p, now })
  open.push(s)
  return s
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gangwan-credentials-'))
  path = join(dir, 'credentials.sqlite')
})
afterEach(async () => {
  for (const s of open.splice(0)) s.close()
  await rm(dir, { recursive: true, force: true })
})

async function fileText (p: string): Promise<string> {
  const parts = [p, `${p}-wal`].filter((f) => existsSync(f))
  return (await Promise.all(parts.map(async (f) => (await readFile(f)).toString('latin1')))).join('')
}

describe('credential store', () => {
  it('issues a random base64url secret of at least 128 bits and verifies it', async () => {
    const s = store(path, () => 1_763_800_000_000)
    const secret = await s.provision('GW-A', 'gateway')
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22,}$/)
    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(16)
    expect(await s.provision('GW-B', 'gateway')).not.toBe(secret)
    expect(await s.verify('GW-A', secret)).toEqual({ id: 'GW-A', role: 'gateway', createdAt: 1_763_800_000_000 })
    expect(await s.verify('GW-A', `${secret}x`)).toBeNull()
    expect(await s.verify('GW-A', '')).toBeNull()
    expect(await s.verify('GW-B', secret)).toBeNull()
    expect(await s.verify('nobody', secret)).toBeNull()
  })

  it('stores only a salted scrypt hash with its parameters, never the secret', async () => {
    const s = store()
    const secret = await s.provision('GW-A', 'gateway')
    await s.verify('GW-A', secret)
    expect(await fileText(path)).not.toContain(secret)
    s.close()
    expect(await fileText(path)).not.toContain(secret)
    const db = new DatabaseSync(path, { readOnly: true })
    const row = db.prepare('SELECT secret_hash FROM credentials WHERE id = ?').get('GW-A') as { secret_hash: string }
    db.close()
    expect(row.secret_hash).toMatch(/^scrypt\$N=16384,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
  })

  it('rotating invalidates the old secret (also a cached one), keeps createdAt and updates the role', async () => {
    let t = 1000
    const s = store(path, () => t)
    const old = await s.provision('DEV-1', 'device')
    expect(await s.verify('DEV-1', old)).not.toBeNull() // now cached
    t = 2000
    const fresh = await s.provision('DEV-1', 'gateway')
    expect(fresh).not.toBe(old)
    expect(await s.verify('DEV-1', old)).toBeNull()
    expect(await s.verify('DEV-1', fresh)).toEqual({ id: 'DEV-1', role: 'gateway', createdAt: 1000 })
  })

  it('drops a cached verification when another process rotates or revokes the secret', async () => {
    const a = store()
    const b = store()
    const old = await a.provision('GW-A', 'gateway')
    expect(await a.verify('GW-A', old)).not.toBeNull()
    await b.provision('GW-A', 'gateway')
    expect(await a.verify('GW-A', old)).toBeNull()
    const again = await b.provision('GW-A', 'gateway')
    expect(await a.verify('GW-A', again)).not.toBeNull()
    b.revoke('GW-A')
    expect(await a.verify('GW-A', again)).toBeNull()
  })

  it('answers a repeated verification from its cache instead of running scrypt again', async () => {
    const s = store()
    const secret = await s.provision('GW-A', 'gateway')
    let t = performance.now()
    await s.verify('GW-A', secret)
    const firstMs = performance.now() - t
    t = performance.now()
    for (let i = 0; i < 100; i++) expect(await s.verify('GW-A', secret)).not.toBeNull()
    expect(performance.now() - t).toBeLessThan(firstMs) // 100 cached answers cost less than one scrypt
  })

  it('revokes', async () => {
    const s = store()
    const secret = await s.provision('GW-A', 'gateway')
    await s.provision('GW-B', 'gateway')
    expect(await s.verify('GW-A', secret)).not.toBeNull()
    s.revoke('GW-A')
    expect(await s.verify('GW-A', secret)).toBeNull()
    expect(s.has('GW-A')).toBe(false)
    expect(s.get('GW-A')).toBeUndefined()
    expect(s.list().map((c) => c.id)).toEqual(['GW-B'])
  })

  it('persists across reopen', async () => {
    const first = store()
    const secret = await first.provision('SVC-dashboard', 'service')
    first.close()
    const second = store()
    expect(second.has('SVC-dashboard')).toBe(true)
    expect(second.get('SVC-dashboard')?.role).toBe('service')
    expect(await second.verify('SVC-dashboard', secret)).toMatchObject({ id: 'SVC-dashboard', role: 'service' })
    expect(second.list()).toHaveLength(1)
  })

  it('works in memory and rejects ids that are not ids or unknown roles', async () => {
    const s = store(':memory:')
    const secret = await s.provision('GW-A', 'gateway')
    expect(await s.verify('GW-A', secret)).not.toBeNull()
    await expect(s.provision('GW/#', 'gateway')).rejects.toMatchObject({ code: 'GW_ERR_CONFIG_INVALID' })
    await expect(s.provision('GW-A', 'admin' as never)).rejects.toBeInstanceOf(GangwanError)
  })
})
