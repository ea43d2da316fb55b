import type { AedesOptions } from 'aedes'
import { remoteAddressOf, type HookContext } from './hook-context.ts'

type PreConnect = NonNullable<AedesOptions['preConnect']>

/**
 * First look at a CONNECT: keeps the client id and will for {@link createAuthenticate}, and counts
 * the refusals aedes itself answers right after this hook: a protocol other than MQTT 3.1/3.1.1
 * (CONNACK 1 [MQTT-3.1.2-2]) and a keepalive of 0 or above `keepaliveLimitS` (aedes answers with
 * its own CONNACK code 6, outside the 3.1.1 range, which clients report as a refused connection).
 * Always lets aedes go on, so that it sends those CONNACKs.
 */
export function createPreConnect (ctx: HookContext): PreConnect {
  return (client, packet, callback) => {
    const clientId = typeof packet.clientId === 'string' ? packet.clientId : ''
    ctx.sessions.set(client, { clientId, will: packet.will })
    const remoteAddress = remoteAddressOf(client)
    const version = packet.protocolVersion
    const keepalive = packet.keepalive ?? 0
    if (version !== 3 && version !== 4) {
      ctx.refuse('unsupported_protocol', { clientId, remoteAddress, detail: `protocol version ${String(version)}` })
    } else if (version === 3 && clientId.length > ctx.config.maxClientIdLength) {
      // aedes answers CONNACK 2 itself for MQTT 3.1 (the only version it length-checks).
      ctx.refuse('client_id_mismatch', { clientId: clientId.slice(0, 64), remoteAddress, detail: `client id of ${clientId.length} characters` })
    } else if (keepalive === 0 || keepalive > ctx.config.keepaliveLimitS) {
      ctx.refuse('keepalive_too_long', { clientId, remoteAddress, detail: `keepalive ${keepalive}s, limit ${ctx.config.keepaliveLimitS}s` })
    }
    callback(null, true)
  }
}
