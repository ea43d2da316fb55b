import { chmod, readFile, rename, writeFile } from 'node:fs/promises'
import type { Community } from '@gangwan/contracts'
import type { CredentialStore, Role } from '@gangwan/broker'

/** The MQTT clients a community needs: every gateway, and every device that connects directly. */
export function communityClients (community: Community): { id: string; role: Role }[] {
  return [
    ...community.gateways.map((g) => ({ id: g.id, role: 'gateway' as const })),
    ...community.devices.filter((d) => d.gateway === undefined).map((d) => ({ id: d.id, role: 'device' as const }))
  ]
}

async function readSecrets (file: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>
  } catch {
    return {}
  }
}

/**
 * Issues credentials for every client of the community that has none yet, and keeps their plaintext
 * secrets in `secretsFile` (mode 0600) for the simulators and demo devices: the registry itself holds
 * only scrypt hashes. A client whose secret is missing from the file is re-issued (its old secret is
 * unknown, so it could never connect). Returns how many were issued.
 */
export async function provisionCommunity (community: Community, store: CredentialStore, secretsFile: string): Promise<number> {
  const secrets = await readSecrets(secretsFile)
  const todo = communityClients(community).filter((c) => !store.has(c.id) || secrets[c.id] === undefined)
  // scrypt runs on libuv's thread pool (4 threads by default): a few at a time keeps start-up short
  // without starving the rest of the pool.
  const parallel = 4
  for (let i = 0; i < todo.length; i += parallel) {
    const slice = todo.slice(i, i + parallel)
    const issued = await Promise.all(slice.map(async (c) => await store.provision(c.id, c.role)))
    slice.forEach((c, j) => { secrets[c.id] = issued[j]! })
  }
  if (todo.length > 0) await writeSecrets(secretsFile, secrets)
  return todo.length
}

/**
 * Records newly issued plaintext secrets in `secretsFile` (mode 0600), keeping the others: what the
 * console's re-issue does after the registry rotated a client's secret. Callers serialise their
 * calls (a read-modify-write of one file).
 */
export async function recordSecrets (secretsFile: string, issued: Record<string, string>): Promise<void> {
  await writeSecrets(secretsFile, { ...await readSecrets(secretsFile), ...issued })
}

/** Replaces the file atomically (write a temporary file, rename), so a crash leaves the old or the new one. */
async function writeSecrets (secretsFile: string, secrets: Record<string, string>): Promise<void> {
  const tmp = `${secretsFile}.tmp`
  await writeFile(tmp, JSON.stringify(secrets, null, 1), { mode: 0o600 })
  await rename(tmp, secretsFile)
  await chmod(secretsFile, 0o600)
}
