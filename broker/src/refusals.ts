import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Logger } from 'pino'
import { GangwanError, type ErrorCode } from '@gangwan/contracts'

/** Why the broker refused a connection, a packet or a subscription: the `reason` label of `gangwan_broker_refusals_total`. */
export type RefusalReason =
  | 'bad_credentials' | 'client_id_mismatch' | 'publish_denied' | 'subscribe_denied' | 'payload_too_large'
  | 'topic_too_deep' | 'malformed_packet' | 'rate_limited' | 'keepalive_too_long' | 'connect_timeout'
  | 'sink_failed' | 'unsupported_protocol' | 'tls_handshake'

/** The coded error logged with each refusal reason. */
export const REFUSAL_CODES: Readonly<Record<RefusalReason, ErrorCode>> = Object.freeze({
  bad_credentials: 'GW_ERR_AUTH_BAD_CREDENTIALS',
  client_id_mismatch: 'GW_ERR_AUTH_CLIENT_ID_MISMATCH',
  publish_denied: 'GW_ERR_ACL_PUBLISH_DENIED',
  subscribe_denied: 'GW_ERR_ACL_SUBSCRIBE_DENIED',
  payload_too_large: 'GW_ERR_MQTT_PAYLOAD_TOO_LARGE',
  topic_too_deep: 'GW_ERR_MQTT_TOPIC_TOO_DEEP',
  malformed_packet: 'GW_ERR_MQTT_MALFORMED',
  rate_limited: 'GW_ERR_MQTT_RATE_LIMITED',
  keepalive_too_long: 'GW_ERR_MQTT_KEEPALIVE_TOO_LONG',
  connect_timeout: 'GW_ERR_MQTT_CONNECT_TIMEOUT',
  sink_failed: 'GW_ERR_BROKER_SINK_FAILED',
  unsupported_protocol: 'GW_ERR_MQTT_UNSUPPORTED_PROTOCOL',
  // No TLS code exists in contracts yet (a dedicated GW_ERR_MQTT_TLS_HANDSHAKE is requested): the
  // peer did not speak the protocol this listener requires (TLS 1.2+ with our CA/certificate rules).
  tls_handshake: 'GW_ERR_MQTT_TLS_HANDSHAKE'
})

/** Log fields of a refusal. Never a password. */
export interface RefusalContext { clientId?: string | null, remoteAddress?: string | undefined, topic?: string, detail?: string, err?: unknown }

/** Logs (warn) and counts one refusal and returns a {@link GangwanError} to hand to aedes, marked as counted. */
export type Refuse = (reason: RefusalReason, ctx?: RefusalContext) => GangwanError

/** The broker's Prometheus metrics, registered on the injected registry. */
export interface BrokerMetrics {
  refusals: Counter<'reason'>
  messagesIn: Counter
  unrouted: Counter
  connections: Counter
  connectedClients: Gauge
  sinkSeconds: Histogram
}

function metric<T> (registry: Registry, name: string, make: () => T): T {
  // Reuse on a second broker in the same process (a restart), where re-registering would throw.
  return (registry.getSingleMetric(name) as T | undefined) ?? make()
}

/** Creates (or reuses) the broker metrics on `registry`, every refusal reason pre-set to 0. */
export function createBrokerMetrics (registry: Registry): BrokerMetrics {
  const registers = [registry]
  const refusals = metric(registry, 'gangwan_broker_refusals_total', () => new Counter({
    name: 'gangwan_broker_refusals_total', help: 'Connections, packets and subscriptions the broker refused, by reason', labelNames: ['reason'] as const, registers
  }))
  for (const reason of Object.keys(REFUSAL_CODES)) refusals.inc({ reason }, 0)
  return {
    refusals,
    messagesIn: metric(registry, 'gangwan_broker_messages_in_total', () => new Counter({
      name: 'gangwan_broker_messages_in_total', help: 'Authorised PUBLISH packets (and wills) the ingest sink accepted', registers
    })),
    unrouted: metric(registry, 'gangwan_broker_unrouted_messages_total', () => new Counter({
      name: 'gangwan_broker_unrouted_messages_total', help: 'Accepted telemetry and heartbeats not routed to MQTT subscribers because no subscription could match them (broker/src/routing.ts)', registers
    })),
    connections: metric(registry, 'gangwan_broker_connections_total', () => new Counter({
      name: 'gangwan_broker_connections_total', help: 'Connections handed to the MQTT layer: TCP after the rate limit, TLS after the rate limit and the handshake', registers
    })),
    connectedClients: metric(registry, 'gangwan_broker_connected_clients', () => new Gauge({
      name: 'gangwan_broker_connected_clients', help: 'MQTT clients currently connected (CONNACK 0 sent)', registers
    })),
    sinkSeconds: metric(registry, 'gangwan_broker_sink_accept_seconds', () => new Histogram({
      name: 'gangwan_broker_sink_accept_seconds', help: 'Time from authorisation to the ingest sink settling, i.e. the added ack latency; one observation per group of messages settled together (the wait of its first message)', registers,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    }))
  }
}

const COUNTED = Symbol('gangwan.broker.counted')
const MAX_LOGGED_TOPIC = 256

/** Builds the {@link Refuse} function over a logger and the refusal counter. */
export function createRefuse (log: Logger, metrics: BrokerMetrics): Refuse {
  return (reason, ctx = {}) => {
    const code = REFUSAL_CODES[reason]
    metrics.refusals.inc({ reason })
    const topic = ctx.topic !== undefined && ctx.topic.length > MAX_LOGGED_TOPIC ? `${ctx.topic.slice(0, MAX_LOGGED_TOPIC)}…` : ctx.topic
    log.warn({ code, reason, clientId: ctx.clientId ?? undefined, remoteAddress: ctx.remoteAddress, topic, detail: ctx.detail, err: ctx.err }, 'mqtt refused')
    const err = new GangwanError(code, ctx.detail)
    Object.defineProperty(err, COUNTED, { value: true })
    return err
  }
}

/** Whether an error came from {@link Refuse} (already logged and counted). */
export const isCounted = (err: unknown): boolean => typeof err === 'object' && err !== null && COUNTED in err

/**
 * Maps an error aedes reports through `clientError`/`connectionError` to a refusal reason, or
 * `null` when it is not a refusal (already counted, socket reset, keepalive expiry, drain timeout).
 * The aedes 1.2 messages matched here are pinned by the broker tests.
 */
export function classifyAedesError (err: Error & { code?: unknown, errorCode?: unknown }): RefusalReason | null {
  if (isCounted(err)) return null
  // A refused CONNACK (aedes sets errorCode): counted where it was decided.
  if (typeof err.errorCode === 'number') return null
  // System errors (ECONNRESET, EPIPE, ...) are the peer going away, not a refusal.
  if (typeof err.code === 'string') return null
  const m = err.message
  if (m === 'connect did not arrive in time') return 'connect_timeout'
  if (m === 'topic has too many levels') return 'topic_too_deep'
  if (m === 'Client queue limit reached' || m.startsWith('maxInflightInbound exceeded')) return 'rate_limited'
  if (m === 'keep alive timeout' || m === 'drain timeout' || m === 'connection closed') return null
  // Everything else is mqtt-packet's parser or an aedes protocol check ('Invalid protocol',
  // '# is not allowed in PUBLISH', 'Invalid header flag bits', ...).
  return 'malformed_packet'
}
