import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { Aedes, type Client } from 'aedes'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { GangwanError, type PublishSink } from '@gangwan/contracts'
import type { BrokerConfig } from './config.ts'
import type { CredentialStore } from './credential-store.ts'
import { createConnectionRateLimiter } from './connection-rate-limiter.ts'
import { createFrameScanner } from './frame-scanner.ts'
import { GuardedSocket } from './guarded-socket.ts'
import { classifyAedesError, createBrokerMetrics, createRefuse } from './refusals.ts'
import { remoteAddressOf, type HookContext, type Session } from './hooks/hook-context.ts'
import { createPreConnect } from './hooks/pre-connect.ts'
import { createAuthenticate } from './hooks/authenticate.ts'
import { createAuthorizePublish } from './hooks/authorize-publish.ts'
import { createAuthorizeSubscribe } from './hooks/authorize-subscribe.ts'

/** A running MQTT broker. */
export interface Broker {
  start: () => Promise<void>
  /** Closes the listener, every connection (wills are not published) and aedes. */
  stop: () => Promise<void>
  /** The bound TCP port once started (the configured one before). */
  readonly port: number
  readonly connectedClients: number
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

/**
 * Creates the aedes MQTT 3.1.1 host: TCP listener with a per-address connection rate limit and a
 * frame guard (size and sanity of every packet from its fixed header), authentication against the
 * credential store, topic ACL, and durable acknowledgement through `deps.sink`.
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
  let server: Server | null = null
  let stopping = false
  let rateLimitLoggedAt = -Infinity

  const ctx: HookContext = {
    config, log, metrics, refuse, credentials: deps.credentials, sink: deps.sink, now: deps.now ?? Date.now,
    sessions: new WeakMap<Client, Session>(), stopping: () => stopping
  }

  function boundPort (): number {
    const address = server?.address()
    return typeof address === 'object' && address !== null ? (address as AddressInfo).port : config.port
  }

  function onConnection (socket: Socket): void {
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
    // PUBACKs are tiny and latency-bound; Nagle would hold them back.
    socket.setNoDelay(true)
    metrics.connections.inc()
    let client: Client | null = null
    const conn = new GuardedSocket(socket, createFrameScanner(frameLimits), (v) =>
      refuse(v.reason, { clientId: client?.id, remoteAddress, detail: v.detail }))
    client = aedes.handle(conn)
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

  return {
    async start () {
      if (aedes !== null) return
      stopping = false
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
      aedes = broker
      const srv = createServer(onConnection)
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject)
          srv.listen(config.port, config.host, () => { srv.off('error', reject); resolve() })
        })
      } catch (err) {
        aedes = null
        await new Promise<void>((resolve) => broker.close(() => resolve()))
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new GangwanError('GW_ERR_PORT_IN_USE', `broker: ${config.host}:${config.port} is in use`, { cause: err })
        throw err
      }
      srv.on('error', (err) => log.error({ err }, 'listener error'))
      server = srv
      log.info({ host: config.host, port: boundPort() }, 'broker listening')
    },

    async stop () {
      if (aedes === null) return
      stopping = true
      const broker = aedes
      const srv = server
      const closed = srv === null ? Promise.resolve() : new Promise<void>((resolve) => srv.close(() => resolve()))
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      // Connections that never sent CONNECT are not aedes clients yet.
      for (const socket of sockets) socket.destroy()
      await closed
      aedes = null
      server = null
      metrics.connectedClients.set(0)
      log.info('broker stopped')
    },

    get port () { return boundPort() },
    get connectedClients () { return aedes?.connectedClients ?? 0 }
  }
}
