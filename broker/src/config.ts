import { z } from 'zod'
import { GangwanError, MAX_TOPIC_LEVELS } from '@gangwan/contracts'

/**
 * The optional MQTT-over-TLS listener (DESIGN: edge agents relay "MQTT QoS1, TLS"). Same limits,
 * authentication and ACL as the TCP listener; TLS only adds transport security.
 */
export interface BrokerTlsConfig {
  /** TLS port; `0` picks an ephemeral port (read it back from `Broker.tlsPort`). 8883 is the IANA MQTT-over-TLS port. */
  port: number
  /** Address the TLS listener binds. Default: the TCP listener's `host`. */
  host?: string
  /** PEM file of the server's private key (read at `start`). */
  keyFile: string
  /** PEM file of the server's certificate, optionally followed by its intermediate CA certificates. */
  certFile: string
  /**
   * PEM file of the CA(s) that sign client certificates. When set, a client must present a
   * certificate signed by one of them (checked in the handshake), in addition to its
   * username/password; when absent, no client certificate is asked for.
   */
  caFile?: string
}

/** Limits and listener address of the broker. Build it with {@link brokerConfig}. */
export interface BrokerConfig {
  /** Address the TCP listener binds. Default `0.0.0.0`. */
  host: string
  /** TCP port; `0` picks an ephemeral port (read it back from `Broker.port`). Default 1883 (IANA MQTT). */
  port: number
  /** Largest PUBLISH payload in bytes; a larger one closes the connection before any ack. Default 65536. */
  maxPayloadBytes: number
  /** Deepest topic or filter in levels. Default {@link MAX_TOPIC_LEVELS} (7). */
  maxTopicLevels: number
  /** Largest keepalive (s) a client may request; 0 (keepalive off) is refused too. Default 300. */
  keepaliveLimitS: number
  /** Time (ms) a new connection has to send CONNECT; on the TLS listener also the time it has to complete the handshake (before that). Default 10000. */
  connectTimeoutMs: number
  /** Longest client id accepted (characters). Default 64, the length of an id. */
  maxClientIdLength: number
  /** New connections (TCP and TLS listeners together) accepted per second per remote address (token bucket); excess closed and counted. Default 200. */
  maxConnectionsPerSecond: number
  /** Also listen for MQTT over TLS; absent: TCP only. */
  tls?: BrokerTlsConfig
}

const int = () => z.number().int()
const port = () => int().min(0).max(65535)

const BrokerTlsConfigSchema = z.object({
  port: port(),
  host: z.string().min(1).optional(),
  keyFile: z.string().min(1),
  certFile: z.string().min(1),
  caFile: z.string().min(1).optional()
}).strict()

/**
 * zod schema of {@link BrokerConfig}: every field optional on input, defaulted on output.
 *
 * @example BrokerConfigSchema.parse({ port: 0 }).maxPayloadBytes // 65536
 */
export const BrokerConfigSchema: z.ZodType<BrokerConfig, Partial<BrokerConfig>> = z.object({
  host: z.string().min(1).default('0.0.0.0'),
  port: port().default(1883),
  // MQTT 3.1.1 §2.2.3: a packet's remaining length is at most 268,435,455 bytes.
  maxPayloadBytes: int().min(1).max(268_435_455).default(65_536),
  // aedes clamps to [1, 100] (qlobber's word limit), so accept no more.
  maxTopicLevels: int().min(1).max(100).default(MAX_TOPIC_LEVELS),
  // MQTT 3.1.1 §3.1.2.10: keepalive is a 16-bit number of seconds.
  keepaliveLimitS: int().min(1).max(65_535).default(300),
  connectTimeoutMs: int().min(100).max(600_000).default(10_000),
  // [MQTT-3.1.3-5]: a server must accept client ids of 1 to 23 characters.
  maxClientIdLength: int().min(23).max(65_535).default(64),
  maxConnectionsPerSecond: int().min(1).max(1_000_000).default(200),
  tls: BrokerTlsConfigSchema.optional()
}).strict()

/**
 * Validates, defaults and freezes a broker configuration. Fails fast with `GW_ERR_CONFIG_INVALID`.
 *
 * @example const config = brokerConfig({ port: 0, maxPayloadBytes: 4096 })
 */
export function brokerConfig (partial: Partial<BrokerConfig> = {}): Readonly<BrokerConfig> {
  const parsed = BrokerConfigSchema.safeParse(partial)
  if (!parsed.success) {
    throw new GangwanError('GW_ERR_CONFIG_INVALID', `broker: ${z.prettifyError(parsed.error)}`)
  }
  const { tls, ...rest } = parsed.data
  return Object.freeze(tls === undefined ? rest : { ...rest, tls: Object.freeze({ ...tls }) })
}
