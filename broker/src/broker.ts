import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls'
import { Aedes, type Client } from 'aedes'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { GangwanError, type PublishSink } from '@gangwan/contracts'
import type { BrokerConfig } from './config.ts'
import type { CredentialStore } from './credential-store.ts'
import { createConnectionRateLimiter } from './connection-rate-limiter.ts'
import { loadTlsOptions } from './tls-options.ts'
import { createFrameScanner } from './frame-scanner.ts'
import { GuardedSocket } from './guarded-socket.ts'
import { classifyAedesError, createBrokerMetrics, createRefuse } from './refusals.ts'
import { createDataRouting, type DataRouting } from './routing.ts'
import { remoteAddressOf, type HookContext, type Session } from './hooks/hook-context.ts'
import { createPreConnect } from './hooks/pre-connect.ts'
import { createAuthenticate } from './hooks/authenticate.ts'
import { createAuthorizePublish } from './hooks/authorize-publish.ts'
import { createAuthorizeSubscribe } from './hooks/authorize-subscribe.ts'

/** A running MQTT broker. */
export interface Broker {
  start: () => Promise<void>
  /** Closes the listeners, every connection (wills are not published) and aedes. */
  stop: () => Promise<void>
  /** The bound TCP port once started (the configured one before). */
  readonly port: number
  /** The bound TLS port once started (the configured one before); undefined without `config.tls`. */
  readonly tlsPort: number | undefined
  /** Whether every configured listener (TCP, and TLS when configured) is accepting connections. */
  readonly listening: boolean
  readonly connectedClients: number
  /**
   * Publishes from the hub itself (commands): straight to subscribers and to the offline queues of
   * persistent sessions, bypassing `authorizePublish`, so nothing reaches the ingest sink. Resolves
   * once aedes handed the message on (not when a client acknowledged it); rejects while stopped.
   */
  publish: (topic: string, payload: Buffer, qos: 0 | 1) => Promise<void>
  /**
   * Hands every message matching `filter` to `onMessage`, after `authorizePublish` let it through
   * (so after the sink made it durable). `clientId` is the publisher's, absent for the hub's own.
   * Resolves with the function that removes the subscription; subscriptions end with `stop()`.
   */
  subscribe: (filter: string, onMessage: (topic: string, payload: Buffer, clientId: string | undefined) => void) => Promise<() => Promise<void>>
}

/** What the broker is given: the process logger and registry, the credential registry and the ingest sink. */
export interface BrokerDeps {
  log: Logger
  metrics: Registry
  credentials: CredentialStore
  sink: PublishSink
  /** Wall clock for `InboundMessage.receivedAt` (epoch ms); defaults to Date.now. */
  now?: () => number
}

/**
 * Room for everything but a payload in a CONNECT or SUBSCRIBE: client id, username, password,
 * will topic and a few filters of at most 7 levels of 64 characters take well under 4 KiB.
 */
const CONTROL_PACKET_OVERHEAD_BYTES = 4096
/** Packets a client may pipeline behind CONNECT while scrypt runs (aedes `queueLimit`). */
const QUEUE_LIMIT = 64
/** mqemitter delivery concurrency (aedes `concurrency`, its default). */
const CONCURRENCY = 100

/** Listens on `host:port`; a taken port fails with `GW_ERR_PORT_IN_USE` naming the listener. */
async function listen (srv: Server, what: string, host: string, port: number): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject)
      srv.listen(port, host, () => { srv.off('error', reject); resolve() })
    })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new GangwanError('GW_ERR_PORT_IN_USE', `broker: ${what} ${host}:${port} is in use`, { cause: err })
    throw err
  }
}

const boundPortOf = (srv: Server | null, configured: number): number => {
  const address = srv?.address()
  return typeof address === 'object' && address !== null ? (address as AddressInfo).port : configured
}

/**
 * Creates the aedes MQTT 3.1.1 host: a TCP listener and, with `config.tls`, a TLS listener, both
 * feeding one connection path (per-address connection rate limit, frame guard checking the size
 * and sanity of every packet from its fixed header, aedes), authentication against the
 * credential store, topic ACL, and durable acknowledgement through `deps.sink`.
 *
 * The TLS port is accepted by a plain `net` server so that the rate limit runs before the
 * handshake (a handshake costs the hub an asymmetric-key operation; a flood must not get one
 * each); admitted sockets are handed to a `tls.Server` (its documented `'connection'` injection)
 * and reach the same path as TCP sockets once the handshake succeeded.
 *
 * @example
 * const broker = createBroker(brokerConfig({ port: 0 }), { log, metrics: registry, credentials, sink: ingest })
 * await broker.start(); console.log(broker.port)
 */
export function createBroker (config: Readonly<BrokerConfig>, deps: BrokerDeps): Broker {
  const log = deps.log.child({ component: 'broker' })
  const metrics = createBrokerMetrics(deps.metrics)
  const refuse = createRefuse(log, metrics)
  const limiter = createConnectionRateLimiter({ perSecond: config.maxConnectionsPerSecond })
  const frameLimits = { maxPayloadBytes: config.maxPayloadBytes, maxControlPacketBytes: config.maxPayloadBytes + CONTROL_PACKET_OVERHEAD_BYTES }
  const sockets = new Set<Socket>()
  let aedes: Aedes | null = null
  let routing: DataRouting | null = null
  let server: Server | null = null
  /** The TCP acceptor of the TLS port, and the TLS layer it hands admitted sockets to. */
  let tlsAcceptor: Server | null = null
  let tlsLayer: TlsServer | null = null
  let stopping = false
  let rateLimitLoggedAt = -Infinity

  const ctx: HookContext = {
    config, log, metrics, refuse, credentials: deps.credentials, sink: deps.sink, now: deps.now ?? Date.now,
    sessions: new WeakMap<Client, Session>(), stopping: () => stopping
  }

  /** The accept path of both listeners: rate limit, bookkeeping, then MQTT (TCP) or the TLS handshake. */
  function admit (socket: Socket, tls: TlsServer | null): void {
    const remoteAddress = socket.remoteAddress ?? 'unknown'
    if (stopping || aedes === null) { socket.destroy(); return }
    if (!limiter.take(remoteAddress)) {
      // Count every refused connection but log at most one line a second: a flood must not flood the log.
      const t = performance.now()
      if (t - rateLimitLoggedAt >= 1000) {
        rateLimitLoggedAt = t
        refuse('rate_limited', { remoteAddress, detail: `over ${config.maxConnectionsPerSecond} connections/s (further refusals this second are counted, not logged)` })
      } else {
        metrics.refusals.inc({ reason: 'rate_limited' })
      }
      socket.destroy()
      return
    }
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    // PUBACKs are tiny and latency-bound; Nagle would hold them back (set on the TCP socket under TLS too).
    socket.setNoDelay(true)
    if (tls === null) handle(socket)
    else tls.emit('connection', socket)
  }

  /** Hands a connection (a TCP socket, or a TLS socket after its handshake) to aedes behind the frame guard. */
  function handle (socket: Socket): void {
    if (stopping || aedes === null) { socket.destroy(); return }
    metrics.connections.inc()
    const remoteAddress = socket.remoteAddress ?? 'unknown'
    let client: Client | null = null
    const conn = new GuardedSocket(socket, createFrameScanner(frameLimits), (v) =>
      refuse(v.reason, { clientId: client?.id, remoteAddress, detail: v.detail }))
    client = aedes.handle(conn)
  }

  /**
   * A failed handshake: plain MQTT sent to the TLS port, a client that does not trust our
   * certificate (it resets), no or a foreign client certificate, a handshake slower than
   * connectTimeoutMs. OpenSSL errors have already torn the connection down; a handshake timeout
   * only reports (Node's `_handleTimeout` does not close), so the socket is destroyed here.
   */
  function onTlsClientError (err: NodeJS.ErrnoException, socket: TLSSocket): void {
    socket.destroy()
    if (stopping) return
    // The address is gone when the peer reset the connection before the error surfaced.
    refuse('tls_handshake', { remoteAddress: socket.remoteAddress, detail: `${err.code ?? 'TLS'}: ${err.message.split('\n')[0]!.slice(0, 300)}` })
  }

  function onClientError (client: Client, err: Error): void {
    const reason = classifyAedesError(err)
    if (reason !== null) refuse(reason, { clientId: client.id, remoteAddress: remoteAddressOf(client), detail: err.message })
    else log.debug({ clientId: client.id, err }, 'connection ended with an error')
  }

  function wire (broker: Aedes): void {
    const setConnected = (): void => { metrics.connectedClients.set(broker.connectedClients) }
    broker.on('client', setConnected)
    broker.on('clientDisconnect', setConnected)
    broker.on('clientError', onClientError)
    broker.on('connectionError', onClientError)
    broker.on('keepaliveTimeout', (client) => log.debug({ clientId: client.id }, 'keepalive expired'))
    // aedes emits 'error' for persistence failures; its typings omit the event.
    broker.addListener('error', (err: Error) => log.error({ err }, 'aedes error'))
  }

  async function closeServer (srv: Server | null): Promise<void> {
    if (srv?.listening === true) await new Promise<void>((resolve) => srv.close(() => resolve()))
  }

  return {
    async start () {
      if (aedes !== null) return
      stopping = false
      // Before aedes exists: bad key/certificate files fail here with GW_ERR_CONFIG_INVALID.
      const tlsOptions = config.tls === undefined ? undefined : await loadTlsOptions(config.tls, config.connectTimeoutMs)
      const broker = await Aedes.createBroker({
        concurrency: CONCURRENCY,
        queueLimit: QUEUE_LIMIT,
        connectTimeout: config.connectTimeoutMs,
        keepaliveLimit: config.keepaliveLimitS,
        maxClientsIdLength: config.maxClientIdLength,
        maxTopicLevels: config.maxTopicLevels,
        preConnect: createPreConnect(ctx),
        authenticate: createAuthenticate(ctx),
        authorizePublish: createAuthorizePublish(ctx),
        authorizeSubscribe: createAuthorizeSubscribe(ctx)
      })
      wire(broker)
      routing = createDataRouting(metrics.unrouted)
      routing.install(broker)
      // aedes lists refused filters here too, with granted QoS 128: only granted ones can receive data.
      broker.on('subscribe', (subscriptions) => { for (const s of subscriptions) if ((s.qos as number) !== 128) routing?.noteFilter(s.topic) })
      aedes = broker
      const srv = createServer((socket) => { admit(socket, null) })
      let tls: TlsServer | null = null
      let acceptor: Server | null = null
      try {
        await listen(srv, 'TCP', config.host, config.port)
        if (config.tls !== undefined && tlsOptions !== undefined) {
          const layer = createTlsServer(tlsOptions, handle)
          layer.on('tlsClientError', onTlsClientError)
          tls = layer
          acceptor = createServer((socket) => { admit(socket, layer) })
          await listen(acceptor, 'TLS', config.tls.host ?? config.host, config.tls.port)
        }
      } catch (err) {
        aedes = null
        await closeServer(srv)
        await new Promise<void>((resolve) => broker.close(() => resolve()))
        throw err
      }
      for (const s of [srv, acceptor]) s?.on('error', (err) => log.error({ err }, 'listener error'))
      server = srv
      tlsLayer = tls
      tlsAcceptor = acceptor
      log.info({ host: config.host, port: boundPortOf(srv, config.port), ...(acceptor === null ? {} : { tlsHost: config.tls?.host ?? config.host, tlsPort: boundPortOf(acceptor, 0), clientCertificates: config.tls?.caFile !== undefined }) }, 'broker listening')
    },

    async stop () {
      if (aedes === null) return
      stopping = true
      const broker = aedes
      const closed = Promise.all([closeServer(server), closeServer(tlsAcceptor)])
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      // Connections that never sent CONNECT (or are still in their TLS handshake) are not aedes clients yet.
      for (const socket of sockets) socket.destroy()
      await closed
      aedes = null
      server = null
      tlsAcceptor = null
      tlsLayer = null
      metrics.connectedClients.set(0)
      log.info('broker stopped')
    },

    get port () { return boundPortOf(server, config.port) },
    get tlsPort () { return config.tls === undefined ? undefined : boundPortOf(tlsAcceptor, config.tls.port) },
    get listening () { return server?.listening === true && (config.tls === undefined || (tlsAcceptor?.listening === true && tlsLayer !== null)) },
    get connectedClients () { return aedes?.connectedClients ?? 0 },

    async publish (topic, payload, qos) {
      const broker = aedes
      if (broker === null || stopping) throw new Error('broker is not running')
      await new Promise<void>((resolve, reject) => {
        broker.publish({ cmd: 'publish', topic, payload, qos, retain: false, dup: false }, (err) => { if (err) reject(err); else resolve() })
      })
    },

    async subscribe (filter, onMessage) {
      const broker = aedes
      if (broker === null || stopping) throw new Error('broker is not running')
      const deliver = (packet: { topic: string, payload: Buffer | string, clientId?: string }, done: () => void): void => {
        try {
          onMessage(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload), packet.clientId)
        } catch (err) {
          log.error({ err, topic: packet.topic }, 'a hub subscriber failed')
        }
        // mqemitter waits for every listener's callback before its next delivery.
        done()
      }
      // aedes calls back with an error only for a filter deeper than maxTopicLevels.
      routing?.noteFilter(filter)
      await new Promise<void>((resolve, reject) => {
        broker.subscribe(filter, deliver, (err?: Error) => { if (err) reject(err); else resolve() })
      })
      return async () => {
        if (aedes !== broker) return
        await new Promise<void>((resolve) => { broker.unsubscribe(filter, deliver, () => { resolve() }) })
      }
    }
  }
}
