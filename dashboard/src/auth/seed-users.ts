import { GangwanError } from '@gangwan/contracts'
import type { AuthStore, NewUser } from './auth-store.ts'

/**
 * Creates the users that do not exist yet and leaves existing ones untouched (their password,
 * role and department stay as they are), so the hub can call it at every start with the
 * community file's department handlers and its generated operator accounts.
 * Resolves with the ids it created.
 *
 * @example
 * const created = await seedUsers(auth, community.departments.flatMap((d) => d.handlers.map((h) =>
 *   ({ id: h.id, name: h.name, role: 'handler', department: d.id, password: initialPassword(h.id) }))))
 */
export async function seedUsers (store: AuthStore, users: readonly NewUser[], now: number = Date.now()): Promise<string[]> {
  const created: string[] = []
  for (const user of users) {
    if (await store.getUser(user.id) !== undefined) continue
    try {
      await store.createUser(user, now)
      created.push(user.id)
    } catch (err) {
      // Another process seeding the same file created it between the check and the insert.
      if (err instanceof GangwanError && err.code === 'GW_ERR_API_CONFLICT') continue
      throw err
    }
  }
  return created
}
