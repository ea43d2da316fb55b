import type { AedesOptions, AuthenticateError } from 'aedes'
import type { GangwanError } from '@gangwan/contracts'
import { mayWill } from '../acl.ts'
import { remoteAddressOf, type HookContext } from './hook-context.ts'

type Authenticate = NonNullable<AedesOptions['authenticate']>

// MQTT 3.1.1 §3.2.2.3 CONNACK return codes.
const IDENTIFIER_REJECTED = 2
const SERVER_UNAVAILABLE = 3
const BAD_USERNAME_OR_PASSWORD = 4
const NOT_AUTHORIZED = 5

const withReturnCode = (err: GangwanError | Error, returnCode: number): AuthenticateError =>
  Object.assign(err, { returnCode }) as AuthenticateError

/**
 * Authenticates a CONNECT against the credential store (DESIGN decision 11): the username is a
 * credential id, the password its secret, and the client id must equal the username. The cheap
 * checks run first so a mismatched client id never costs a scrypt. A will must be a status topic
 * of the client's own namespace (aedes would otherwise publish it unchecked at disconnect time).
 */
export function createAuthenticate (ctx: HookContext): Authenticate {
  return (client, username, password, callback) => {
    const session = ctx.sessions.get(client)
    const clientId = session?.clientId ?? ''
    const remoteAddress = remoteAddressOf(client)
    const refuse = (reason: Parameters<typeof ctx.refuse>[0], returnCode: number, detail: string): void => {
      callback(withReturnCode(ctx.refuse(reason, { clientId, remoteAddress, detail }), returnCode), false)
    }
    if (session === undefined || username === undefined || password === undefined) {
      refuse('bad_credentials', BAD_USERNAME_OR_PASSWORD, 'missing username or password'); return
    }
    if (clientId !== username || clientId.length > ctx.config.maxClientIdLength) {
      refuse('client_id_mismatch', IDENTIFIER_REJECTED, `client id differs from username "${username.slice(0, 64)}"`); return
    }
    ctx.credentials.verify(username, password.toString('utf8')).then((credential) => {
      if (credential === null) { refuse('bad_credentials', BAD_USERNAME_OR_PASSWORD, 'unknown id or wrong secret'); return }
      const will = session.will
      if (will !== undefined) {
        if (!mayWill(credential, will.topic)) { refuse('publish_denied', NOT_AUTHORIZED, `will topic "${will.topic.slice(0, 256)}" outside the status topics of the namespace`); return }
        if (Buffer.byteLength(will.payload) > ctx.config.maxPayloadBytes) { refuse('payload_too_large', NOT_AUTHORIZED, 'will payload'); return }
      }
      session.credential = credential
      ctx.log.debug({ clientId, role: credential.role, remoteAddress }, 'client authenticated')
      callback(null, true)
    }, (err: unknown) => {
      ctx.log.error({ err, clientId }, 'credential store failed')
      callback(withReturnCode(new Error('credential store failed'), SERVER_UNAVAILABLE), false)
    })
  }
}
