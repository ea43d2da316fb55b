import type { Logger } from 'pino'
import {
  CommandAckSchema, HeartbeatSchema, StatusSchema, TelemetrySchema, parseTopic, topics,
  type CommandAck, type DeviceKind, type ParsedTopic, type Telemetry
} from '@gangwan/contracts'
import type { Metrics } from '../observe/create-metrics.ts'
import { LANES, type AppendOutcome, type Lane, type Spool } from '../spool/spool.ts'
import type { DeadLetter } from './create-dead-letter.ts'

/**
 * The lane of a valid reading: an emergency overtakes everything, then routine readings of the
 * life-safety kinds (fire, elevator, thrown object), then the rest (noise, fume).
 */
export function laneOf (t: Telemetry): Lane {
  switch (t.kind) {
    case 'fire': return t.alarm || t.manualCall === true ? LANES.alarm : LANES.lifeSafety
    case 'falling_object': return LANES.alarm
    case 'elevator': return t.mode !== 'normal' || t.faultCodes.length > 0 ? LANES.alarm : LANES.lifeSafety
    default: return LANES.normal
  }
}

/** A reading from a polled device, before the agent gives it a sequence number. */
export interface UnsequencedReading {
  deviceId: string
  kind: DeviceKind
  ts: number
  fields: Record<string, number | boolean>
}

/** `denied`: not a topic a device of this gateway may publish on; the device's connection should close. */
export type IntakeOutcome = AppendOutcome | 'invalid' | 'denied'

export interface Intake {
  /**
   * A message a local device published. Resolves once it is durable in the spool (or dropped by
   * the full-spool policy, or dead-lettered as invalid); only then may the device be acknowledged.
   * Rejects if the spool could not store it: the device must not be acknowledged.
   */
  fromLocal: (topic: string, payload: Buffer) => Promise<IntakeOutcome | 'ignored'>
  /** A reading of a polled (Modbus) device; the agent numbers it. */
  fromPoll: (r: UnsequencedReading) => Promise<IntakeOutcome>
  /** Presence of a device behind the gateway, published retained. */
  presence: (deviceId: string, state: 'online' | 'offline', reason: string) => Promise<IntakeOutcome>
}

export interface IntakeDeps {
  gatewayId: string
  /** Allow-list of devices (id → kind); undefined: any device id. */
  devices: Readonly<Record<string, DeviceKind>> | undefined
  spool: Spool
  deadLetter: DeadLetter
  metrics: Metrics
  log: Logger
  /** Next sequence number of a series, persisted across restarts. */
  nextSeq: (series: string) => number
  /** Sees every valid telemetry reading first (local life safety), before it is spooled. */
  onTelemetry: (deviceId: string, t: Telemetry) => void
  /** A local device's answer to a command the agent forwarded to it (validated). */
  onDeviceAck: (deviceId: string, ack: CommandAck) => void
}

/**
 * Normalises and validates what local devices send (against the contracts' schemas), decides its
 * lane and hands it to the spool. Invalid messages go to the dead-letter file with a counter and
 * never upstream. Valid payloads are relayed byte for byte.
 */
export function createIntake (deps: IntakeDeps): Intake {
  const { gatewayId, spool, metrics, log } = deps
  const warnedAt = new Map<string, number>()
  let droppedSeen = spool.stats().dropped
  let droppedWarnedAt = 0

  function refuse (reason: string, topic: string, payload: Buffer, detail: string): IntakeOutcome {
    deps.deadLetter.write(reason, topic, payload, detail)
    metrics.inc('gangwan_edge_invalid_total', { reason })
    // One warning per topic and reason a minute: a broken device must not flood the log.
    const k = `${reason} ${topic}`
    const now = Date.now()
    if ((warnedAt.get(k) ?? 0) + 60_000 <= now) {
      warnedAt.set(k, now)
      log.warn({ code: reason, topic, detail }, 'local message refused to the dead-letter file')
    }
    return 'invalid'
  }

  async function store (topic: string, payload: Buffer, lane: Lane, retain: boolean, source: string): Promise<IntakeOutcome> {
    const outcome = await spool.append({ topic, payload, lane, retain })
    metrics.inc('gangwan_edge_readings_total', { source, outcome })
    const { dropped, depth } = spool.stats()
    if (dropped > droppedSeen && Date.now() - droppedWarnedAt >= 60_000) {
      droppedWarnedAt = Date.now()
      log.warn({ code: 'GW_ERR_EDGE_SPOOL_FULL', dropped, depth }, 'spool full: oldest low-priority readings dropped')
    }
    droppedSeen = dropped
    return outcome
  }

  /**
   * Device topics of this gateway, and its own `status`/`heartbeat`: a LAN client that believes it
   * is the gateway (a simulator, an older concentrator) may publish those; they are acknowledged
   * and not relayed, because upstream they belong to the agent.
   */
  function allowedTopic (topic: string): ParsedTopic | null {
    const t = parseTopic(topic)
    if (t === null || t.gateway !== gatewayId || t.channel === 'cmd') return null
    if (t.device === undefined && t.channel !== 'status' && t.channel !== 'heartbeat') return null
    return t
  }

  function parseJson (topic: string, payload: Buffer): { ok: true, value: unknown } | { ok: false } {
    try {
      return { ok: true, value: JSON.parse(payload.toString('utf8')) }
    } catch (err) {
      refuse('GW_ERR_EDGE_BAD_JSON', topic, payload, (err as Error).message)
      return { ok: false }
    }
  }

  function checkDevice (deviceId: string, kind: DeviceKind | undefined, topic: string, payload: Buffer): boolean {
    if (deps.devices === undefined) return true
    const known = deps.devices[deviceId]
    if (known === undefined) { refuse('GW_ERR_EDGE_UNKNOWN_DEVICE', topic, payload, deviceId); return false }
    if (kind !== undefined && kind !== known) { refuse('GW_ERR_EDGE_KIND_MISMATCH', topic, payload, `${kind} ≠ ${known}`); return false }
    return true
  }

  async function telemetry (deviceId: string, value: unknown, topic: string, payload: Buffer, source: string): Promise<IntakeOutcome> {
    const r = TelemetrySchema.safeParse(value)
    if (!r.success) return refuse('GW_ERR_EDGE_SCHEMA', topic, payload, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500))
    if (!checkDevice(deviceId, r.data.kind, topic, payload)) return 'invalid'
    deps.onTelemetry(deviceId, r.data)
    return await store(topic, payload, laneOf(r.data), false, source)
  }

  return {
    async fromLocal (topic, payload) {
      const t = allowedTopic(topic)
      if (t === null) {
        metrics.inc('gangwan_edge_invalid_total', { reason: 'GW_ERR_EDGE_TOPIC_DENIED' })
        return 'denied'
      }
      if (t.device === undefined) {
        metrics.inc('gangwan_edge_readings_total', { source: 'mqtt', outcome: 'ignored' })
        return 'ignored'
      }
      const device = t.device
      const json = parseJson(topic, payload)
      if (!json.ok) return 'invalid'
      switch (t.channel) {
        case 'telemetry':
          return await telemetry(device, json.value, topic, payload, 'mqtt')
        case 'status': {
          const r = StatusSchema.safeParse(json.value)
          if (!r.success) return refuse('GW_ERR_EDGE_SCHEMA', topic, payload, r.error.issues[0]?.message ?? 'status')
          if (!checkDevice(device, undefined, topic, payload)) return 'invalid'
          return await store(topic, payload, LANES.lifeSafety, true, 'mqtt')
        }
        case 'heartbeat': {
          const r = HeartbeatSchema.safeParse(json.value)
          if (!r.success) return refuse('GW_ERR_EDGE_SCHEMA', topic, payload, r.error.issues[0]?.message ?? 'heartbeat')
          if (!checkDevice(device, undefined, topic, payload)) return 'invalid'
          return await store(topic, payload, LANES.normal, false, 'mqtt')
        }
        default: {
          const r = CommandAckSchema.safeParse(json.value)
          if (!r.success) return refuse('GW_ERR_EDGE_SCHEMA', topic, payload, r.error.issues[0]?.message ?? 'cmd/ack')
          deps.onDeviceAck(device, r.data)
          return 'stored'
        }
      }
    },
    async fromPoll (reading) {
      const topic = topics.telemetry(gatewayId, reading.deviceId)
      const value = { kind: reading.kind, seq: deps.nextSeq(`t:${reading.deviceId}`), ts: reading.ts, ...reading.fields }
      const payload = Buffer.from(JSON.stringify(value))
      return await telemetry(reading.deviceId, value, topic, payload, 'modbus')
    },
    async presence (deviceId, state, reason) {
      const payload = Buffer.from(JSON.stringify({ state, ts: Date.now(), reason }))
      return await store(topics.deviceStatus(gatewayId, deviceId), payload, LANES.lifeSafety, true, 'presence')
    }
  }
}
