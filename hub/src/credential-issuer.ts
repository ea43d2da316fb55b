import type { Logger } from 'pino'
import { GangwanError, type Community } from '@gangwan/contracts'
import type { CredentialStore } from '@gangwan/broker'
import type { CredentialIssuer } from '@gangwan/dashboard'
import { communityClients, recordSecrets } from './provisioning.ts'

/** What {@link createCredentialIssuer} needs. */
export interface CredentialIssuerOptions {
  community: Community
  /** The broker's registry (scrypt hashes): a rotation there is what makes the old secret fail. */
  store: CredentialStore
  /** `<data>/credentials.json`, where provisioning keeps the plaintext secrets for simulators and demo devices. */
  secretsFile: string
  log: Logger
}

/**
 * The console's credential (re-)issue over the broker's registry: the MQTT clients of the
 * community (gateways, devices that connect directly) get a new random secret, which replaces the
 * old one in the registry at once (a new CONNECT with the old secret is refused; open connections
 * stay until they reconnect) and in the secrets file, as provisioning writes it. Issues run one
 * at a time, so two concurrent re-issues cannot lose each other's line in the file.
 *
 * @example const { secret } = await createCredentialIssuer({ community, store, secretsFile, log }).issue('GW-B01')
 */
export function createCredentialIssuer (opts: CredentialIssuerOptions): CredentialIssuer {
  const roles = new Map(communityClients(opts.community).map((c) => [c.id, c.role]))
  const log = opts.log.child({ component: 'credential-issuer' })
  let queue: Promise<unknown> = Promise.resolve()
  return {
    async issue (clientId) {
      const role = roles.get(clientId)
      if (role === undefined) throw new GangwanError('GW_ERR_API_NOT_FOUND', `"${clientId}" is not a gateway or a directly connected device of the community`)
      const run = queue.then(async () => {
        const secret = await opts.store.provision(clientId, role)
        try {
          await recordSecrets(opts.secretsFile, { [clientId]: secret })
        } catch (err) {
          // The registry already holds the new secret; the file is what the simulators read.
          log.error({ err, clientId, file: opts.secretsFile }, 'credential issued but the secrets file could not be updated')
          throw err
        }
        return secret
      })
      queue = run.catch(() => {})
      return { id: clientId, secret: await run }
    }
  }
}
