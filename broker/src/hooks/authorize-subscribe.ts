import type { AedesOptions } from 'aedes'
import { maySubscribe } from '../acl.ts'
import { remoteAddressOf, type HookContext } from './hook-context.ts'

type AuthorizeSubscribe = NonNullable<AedesOptions['authorizeSubscribe']>

/**
 * Grants a filter only when the ACL allows it. A denied filter gets 0x80 in the SUBACK
 * (MQTT 3.1.1 §3.9.3: aedes grants 128 when the hook returns no subscription) while the other
 * filters of the same SUBSCRIBE are still granted and the connection stays open.
 */
export function createAuthorizeSubscribe (ctx: HookContext): AuthorizeSubscribe {
  return (client, sub, done) => {
    const credential = ctx.sessions.get(client)?.credential
    if (credential !== undefined && maySubscribe(credential, sub.topic)) { done(null, sub); return }
    ctx.refuse('subscribe_denied', { clientId: client.id, remoteAddress: remoteAddressOf(client), topic: sub.topic })
    done(null, null)
  }
}
