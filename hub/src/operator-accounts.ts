import { randomBytes } from 'node:crypto'
import { chmod, readFile, rename, writeFile } from 'node:fs/promises'
import type { Community } from '@gangwan/contracts'
import { seedUsers, type AuthStore, type NewUser } from '@gangwan/dashboard'

/** The console accounts a fresh hub has besides the community's handlers: one per role. */
const BUILT_IN: Array<Omit<NewUser, 'password'>> = [
  { id: 'admin', name: '系统管理员 (admin)', role: 'admin' },
  { id: 'dispatcher', name: '指挥中心调度员 (dispatcher)', role: 'dispatcher' },
  { id: 'operator', name: '指挥中心值班员 (operator)', role: 'operator' },
  { id: 'viewer', name: '只读 (viewer)', role: 'viewer' }
]

/**
 * Creates the console accounts that do not exist yet: `admin`, `dispatcher`, `operator`, `viewer`,
 * and every handler of the community file's departments (role `handler`, their department), each
 * with a random password written to `passwordsFile` (mode 0600), as the device secrets are. Existing
 * accounts and their passwords are left alone. Resolves with how many were created.
 */
export async function seedOperatorAccounts (auth: AuthStore, community: Community, passwordsFile: string): Promise<number> {
  const users: NewUser[] = [
    ...BUILT_IN,
    ...community.departments.flatMap((d) => d.handlers.map((h) => ({ id: h.id, name: h.name, role: 'handler' as const, department: d.id })))
  ].map((u) => ({ ...u, password: randomBytes(12).toString('base64url') }))
  const created = await seedUsers(auth, users)
  if (created.length > 0) {
    let passwords: Record<string, string> = {}
    try { passwords = JSON.parse(await readFile(passwordsFile, 'utf8')) as Record<string, string> } catch { /* first start */ }
    const byId = new Map(users.map((u) => [u.id, u.password]))
    for (const id of created) passwords[id] = byId.get(id)!
    const tmp = `${passwordsFile}.tmp`
    await writeFile(tmp, JSON.stringify(passwords, null, 1), { mode: 0o600 })
    await rename(tmp, passwordsFile)
    await chmod(passwordsFile, 0o600)
  }
  return created.length
}
