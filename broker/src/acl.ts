import { TOPIC_PREFIX, isOwnCommandFilter, parseTopic, type Channel } from '@gangwan/contracts'
import type { Credential } from './credential-store.ts'

/** Channels a gateway or device publishes; `cmd` flows hub → client only. */
const CLIENT_CHANNELS = new Set<Channel>(['telemetry', 'status', 'heartbeat', 'cmd/ack'])

/**
 * Whether `cred` may PUBLISH to `topic` (DESIGN decision 11). A gateway or direct device `X`
 * publishes only v1 topics of its own namespace `gangwan/v1/X/` on a client channel; a service
 * publishes only commands, to any namespace.
 *
 * @example mayPublish({ id: 'GW-B03', role: 'gateway', createdAt: 0 }, 'gangwan/v1/GW-B03/d/S1/telemetry') // true
 */
export function mayPublish (cred: Credential, topic: string): boolean {
  const parsed = parseTopic(topic)
  if (parsed === null) return false
  if (cred.role === 'service') return parsed.channel === 'cmd'
  return parsed.gateway === cred.id && CLIENT_CHANNELS.has(parsed.channel)
}

/**
 * Whether `cred` may SUBSCRIBE to `filter`: a gateway or device only to its own command topics,
 * a service to anything under `gangwan/v1/`.
 *
 * @example maySubscribe({ id: 'GW-B03', role: 'gateway', createdAt: 0 }, 'gangwan/v1/GW-B03/d/+/cmd') // true
 */
export function maySubscribe (cred: Credential, filter: string): boolean {
  if (cred.role === 'service') return filter.startsWith(`${TOPIC_PREFIX}/`)
  return isOwnCommandFilter(cred.id, filter)
}

/**
 * Whether `cred` may leave a last will on `topic`: a status topic of its own namespace (the
 * "offline" presence message). A service has no presence and so no will.
 *
 * @example mayWill({ id: 'GW-B03', role: 'gateway', createdAt: 0 }, 'gangwan/v1/GW-B03/status') // true
 */
export function mayWill (cred: Credential, topic: string): boolean {
  const parsed = parseTopic(topic)
  return cred.role !== 'service' && parsed !== null && parsed.gateway === cred.id && parsed.channel === 'status'
}
