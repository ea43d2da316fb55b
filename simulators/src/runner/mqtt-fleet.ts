import mqtt, { type MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import { topics, type Status } from '@gangwan/contracts'

/** One MQTT client to open: a gateway or a direct device, with its secret when known. */
export interface FleetClientSpec { id: string; password?: string }

/** Options of {@link createMqttFleet}. */
export interface MqttFleetOptions {
  url: string
  clients: readonly FleetClientSpec[]
  qos: 0 | 1
  log: Logger
  /** Simulated clock, for the `ts` of status messages. */
  simNow: () => number
  /** New connections per second at start-up, so the broker's connection-rate limit is respected. */
  connectRatePerS?: number
  /** Unacknowledged publishes per client before further ones wait in the client's backlog. */
  maxInflightPerClient?: number
  /** Messages a client keeps while it cannot publish (not connected, or too slow); the oldest go first. */
  maxBacklogPerClient?: number
}

/** Counters of a fleet; `sent` and `acked` cover data messages (telemetry, heartbeats), not status. */
export interface FleetStats {
  sent: number
  acked: number
  /** Publishes that failed, or were still unacknowledged when their connection was closed at exit. */
  lostPublishes: number
  /** Connection refusals by CONNACK return code (MQTT 3.1.1 §3.2.2.3: 4 bad user name or password, 5 not authorised). */
  refusedConnections: Record<string, number>
  /** Connection attempts that failed before any CONNACK (refused socket, timeout). */
  networkErrors: number
  connectedNow: number
  everConnected: number
  /** Messages waiting in client backlogs. */
  backlog: number
  /** Messages dropped from a full backlog. */
  dropped: number
  statusSent: number
  sentByTag: Record<string, number>
}

/** A set of MQTT clients publishing on behalf of the community's gateways and direct devices. */
export interface MqttFleet {
  start: () => void
  /**
   * Resolves once every client has connected at least once or failed its first attempt (refused,
   * unreachable), or after `timeoutMs`, with how many have connected. A time-compressed run starts its clock only then: at 600x a client connecting one wall
   * second late would look like ten minutes of silence.
   */
  connected: (timeoutMs: number) => Promise<number>
  publish: (clientId: string, topic: string, payload: string, tag: string) => void
  stats: () => FleetStats
  /** Waits up to `drainMs` for the backlogs to be sent and acknowledged, publishes `offline` statuses, and closes every client. */
  stop: (opts?: { drainMs?: number }) => Promise<void>
}

interface Pending { topic: string; payload: string; tag: string }
interface Slot {
  id: string
  client: MqttClient
  connected: boolean
  everConnected: boolean
  inflight: number
  backlog: Pending[]
  backlogHead: number
  backoffMs: number
  timer: NodeJS.Timeout | undefined
  /** `connect()` was called: before that mqtt.js has no stream to end. */
  started: boolean
  closed: boolean
}

const BACKOFF_MIN_MS = 1_000
const BACKOFF_MAX_MS = 30_000
const statusPayload = (s: Status): string => JSON.stringify(s)

/**
 * Opens one MQTT 3.1.1 client per gateway and per direct device (username = client id = the id the
 * hub provisioned, password = its secret), with a persistent session (clean session false),
 * keepalive 60 s, a retained `online` status on every connect and a retained `offline` last will.
 * Reconnects back off from 1 s to 30 s: mqtt.js's own `reconnectPeriod` is a fixed interval, so it
 * is set to 0 and the fleet schedules `reconnect()` itself, keeping the session's stores so
 * unacknowledged QoS 1 publishes are resent.
 */
export function createMqttFleet (opts: MqttFleetOptions): MqttFleet {
  const { qos, log } = opts
  const maxInflight = opts.maxInflightPerClient ?? 100
  const maxBacklog = opts.maxBacklogPerClient ?? 20_000
  const stats: FleetStats = {
    sent: 0, acked: 0, lostPublishes: 0, refusedConnections: {}, networkErrors: 0, connectedNow: 0,
    everConnected: 0, backlog: 0, dropped: 0, statusSent: 0, sentByTag: {}
  }
  /** Set by stop(): no new connections; backlogs still drain until `closing`. */
  let stopping = false
  /** Set once draining is over: nothing more is sent and clients do not reconnect. */
  let closing = false
  let inflightTotal = 0
  let onIdle: (() => void) | undefined
  const slots = new Map<string, Slot>()
  const startTimers: NodeJS.Timeout[] = []

  const send = (s: Slot, p: Pending): void => {
    s.inflight++; inflightTotal++
    stats.sent++
    stats.sentByTag[p.tag] = (stats.sentByTag[p.tag] ?? 0) + 1
    s.client.publish(p.topic, p.payload, { qos }, (err) => {
      if (s.closed) return
      s.inflight--; inflightTotal--
      if (err !== undefined && err !== null) stats.lostPublishes++
      else if (qos === 1) stats.acked++
      drain(s)
      if (inflightTotal === 0 && stats.backlog === 0) onIdle?.()
    })
  }
  const drain = (s: Slot): void => {
    while (s.connected && !closing && s.inflight < maxInflight && s.backlogHead < s.backlog.length) {
      const p = s.backlog[s.backlogHead]!
      s.backlog[s.backlogHead++] = undefined as unknown as Pending
      stats.backlog--
      send(s, p)
    }
    if (s.backlogHead > 1024 && s.backlogHead * 2 > s.backlog.length) {
      s.backlog = s.backlog.slice(s.backlogHead); s.backlogHead = 0
    }
  }

  /** Clients whose first attempt is over (connected or failed), for {@link MqttFleet.connected}. */
  const settled = new Set<string>()
  let allConnected: (() => void) | undefined
  const settle = (s: { id: string }): void => {
    settled.add(s.id)
    if (settled.size === slots.size) allConnected?.()
  }
  for (const spec of opts.clients) {
    const client = mqtt.connect(opts.url, {
      clientId: spec.id,
      username: spec.id,
      ...(spec.password !== undefined ? { password: spec.password } : {}),
      protocolVersion: 4,
      clean: false,
      keepalive: 60,
      reconnectPeriod: 0,
      manualConnect: true,
      connectTimeout: 30_000,
      will: { topic: topics.gatewayStatus(spec.id), payload: Buffer.from(statusPayload({ state: 'offline', reason: 'last-will' })), qos: 1, retain: true }
    })
    const s: Slot = { id: spec.id, client, connected: false, everConnected: false, inflight: 0, backlog: [], backlogHead: 0, backoffMs: BACKOFF_MIN_MS, timer: undefined, started: false, closed: false }
    slots.set(spec.id, s)
    client.on('connect', () => {
      s.connected = true
      stats.connectedNow++
      if (!s.everConnected) {
        s.everConnected = true
        stats.everConnected++
      }
      settle(s)
      s.backoffMs = BACKOFF_MIN_MS
      log.debug({ clientId: s.id }, 'connected')
      stats.statusSent++
      client.publish(topics.gatewayStatus(s.id), statusPayload({ state: 'online', ts: Math.round(opts.simNow()) }), { qos: 1, retain: true })
      drain(s)
    })
    client.on('close', () => {
      if (s.connected) { s.connected = false; stats.connectedNow-- }
      if (closing || s.closed) return
      const delay = Math.round(s.backoffMs * (0.8 + 0.4 * Math.random()))
      s.backoffMs = Math.min(BACKOFF_MAX_MS, s.backoffMs * 2)
      s.timer = setTimeout(() => {
        s.timer = undefined
        if (!closing) client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore })
      }, delay)
    })
    client.on('error', (err: Error & { code?: unknown }) => {
      settle(s)
      if (typeof err.code === 'number') {
        const key = String(err.code)
        if (stats.refusedConnections[key] === undefined) log.warn({ clientId: s.id, returnCode: err.code }, 'connection refused by the broker')
        stats.refusedConnections[key] = (stats.refusedConnections[key] ?? 0) + 1
      } else {
        stats.networkErrors++
        log.debug({ clientId: s.id, err: err.message }, 'connection error')
      }
    })
  }

  return {
    async connected (timeoutMs) {
      if (settled.size < slots.size) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs)
          allConnected = () => { clearTimeout(timer); resolve() }
        })
        allConnected = undefined
      }
      return stats.everConnected
    },
    start () {
      const rate = opts.connectRatePerS ?? 200
      let k = 0
      for (const s of slots.values()) startTimers.push(setTimeout(() => { if (!stopping) { s.started = true; s.client.connect() } }, Math.floor((k++ * 1000) / rate)))
    },
    publish (clientId, topic, payload, tag) {
      const s = slots.get(clientId)
      if (s === undefined) throw new RangeError(`no MQTT client "${clientId}"`)
      if (s.connected && s.inflight < maxInflight && s.backlogHead === s.backlog.length) {
        send(s, { topic, payload, tag })
        return
      }
      s.backlog.push({ topic, payload, tag })
      stats.backlog++
      if (s.backlog.length - s.backlogHead > maxBacklog) {
        s.backlog[s.backlogHead++] = undefined as unknown as Pending
        stats.backlog--; stats.dropped++
      }
    },
    stats: () => ({ ...stats, refusedConnections: { ...stats.refusedConnections }, sentByTag: { ...stats.sentByTag } }),
    async stop ({ drainMs = 10_000 } = {}) {
      stopping = true
      for (const t of startTimers) clearTimeout(t)
      // Backlogs are sent first: a device's queued readings are part of the run.
      if (inflightTotal > 0 || stats.backlog > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainMs)
          onIdle = () => { clearTimeout(timer); resolve() }
        })
      }
      closing = true
      await Promise.all([...slots.values()].map(async (s) => {
        if (s.timer !== undefined) clearTimeout(s.timer)
        if (s.connected) {
          stats.statusSent++
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 5_000)
            s.client.publish(topics.gatewayStatus(s.id), statusPayload({ state: 'offline', ts: Math.round(opts.simNow()), reason: 'shutdown' }), { qos: 1, retain: true }, () => { clearTimeout(timer); resolve() })
          })
        }
        stats.lostPublishes += s.inflight
        s.closed = true
        if (!s.started) return
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => { s.client.end(true, {}, () => resolve()) }, 5_000)
          s.client.end(!s.connected, {}, () => { clearTimeout(timer); resolve() })
        })
      }))
    }
  }
}
