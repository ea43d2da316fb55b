
/** First two levels of every Gangwan topic: the project and the protocol version. */
export const TOPIC_PREFIX = 'gangwan/v1'

/**
 * What a topic carries. `telemetry` and `heartbeat` are device → hub, `status` is presence
 * (retained, also the last will), `cmd` is hub → client and `cmd/ack` the client's answer.
 */
export type Channel = 'telemetry' | 'status' | 'heartbeat' | 'cmd' | 'cmd/ack'

/** A topic taken apart. `device` is absent for a gateway's own topics. */
export interface ParsedTopic {
  gateway: string
  device?: string
  channel: Channel
}

/** Deepest topic a Gangwan client uses: `gangwan/v1/{gw}/d/{dev}/cmd/ack` has 7 levels. */
export const MAX_TOPIC_LEVELS = 7


/**
 * Builds topics. A gateway's namespace is `gangwan/v1/{gatewayId}/`; devices behind it live under
 * `gangwan/v1/{gatewayId}/d/{deviceId}/`. A device that connects directly is the gateway of itself:
 * its gateway id equals its device id.
 *
 * @example topics.telemetry('GW-B03', 'B03-F12-S01') // 'gangwan/v1/GW-B03/d/B03-F12-S01/telemetry'
 */
export const topics = {
  telemetry: (gateway: string, device: string) => `${TOPIC_PREFIX}/${gateway}/d/${device}/telemetry`,
  deviceStatus: (gateway: string, device: string) => `${TOPIC_PREFIX}/${gateway}/d/${device}/status`,
  deviceHeartbeat: (gateway: string, device: string) => `${TOPIC_PREFIX}/${gateway}/d/${device}/heartbeat`,
  deviceCommand: (gateway: string, device: string) => `${TOPIC_PREFIX}/${gateway}/d/${device}/cmd`,
  deviceCommandAck: (gateway: string, device: string) => `${TOPIC_PREFIX}/${gateway}/d/${device}/cmd/ack`,
  gatewayStatus: (gateway: string) => `${TOPIC_PREFIX}/${gateway}/status`,
  gatewayHeartbeat: (gateway: string) => `${TOPIC_PREFIX}/${gateway}/heartbeat`,
  gatewayCommand: (gateway: string) => `${TOPIC_PREFIX}/${gateway}/cmd`,
  gatewayCommandAck: (gateway: string) => `${TOPIC_PREFIX}/${gateway}/cmd/ack`,
  /** Everything a gateway and its devices publish or receive. */
  namespace: (gateway: string) => `${TOPIC_PREFIX}/${gateway}/`
} as const

// Plain regular expressions rather than zod here: parseTopic runs twice per message (broker ACL,
// ingest) and is on the hot path.
const ID = '[A-Za-z0-9_-]{1,64}'
const ID_RE = new RegExp(`^${ID}$`)
const TOPIC_RE = new RegExp(`^gangwan/v1/(${ID})/(?:d/(${ID})/(telemetry|status|heartbeat|cmd|cmd/ack)|(status|heartbeat|cmd|cmd/ack))$`)
const isId = (s: string | undefined): s is string => s !== undefined && ID_RE.test(s)

/**
 * Parses a concrete (wildcard-free) topic. Returns `null` for anything outside the v1 scheme.
 *
 * @example parseTopic('gangwan/v1/GW-B03/heartbeat') // { gateway: 'GW-B03', channel: 'heartbeat' }
 */
export function parseTopic (topic: string): ParsedTopic | null {
  const m = TOPIC_RE.exec(topic)
  if (m === null) return null
  if (m[2] !== undefined) return { gateway: m[1]!, device: m[2], channel: m[3] as Channel }
  return { gateway: m[1]!, channel: m[4] as Channel }
}

/**
 * Whether a subscription filter only reaches command topics of the given namespace:
 * `gangwan/v1/{gw}/cmd`, `gangwan/v1/{gw}/d/{dev}/cmd` or `gangwan/v1/{gw}/d/+/cmd`.
 * Clients may subscribe to nothing else (DESIGN decision 11).
 */
export function isOwnCommandFilter (gateway: string, filter: string): boolean {
  // A gateway argument that is not an id (`+`, `#`, `GW-1/d/x`) would turn the equality checks
  // below into a wildcard or another client's topic: never trust it.
  if (!isId(gateway)) return false
  if (filter === topics.gatewayCommand(gateway)) return true
  const parts = filter.split('/')
  return parts.length === 6 && parts[0] === 'gangwan' && parts[1] === 'v1' && parts[2] === gateway &&
    parts[3] === 'd' && (parts[4] === '+' || isId(parts[4])) && parts[5] === 'cmd'
}
