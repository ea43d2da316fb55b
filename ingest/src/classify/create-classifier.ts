import {
  HeartbeatSchema, StatusSchema, TelemetrySchema, parseTopic,
  type DeviceKind, type Heartbeat, type Status, type Telemetry
} from '@gangwan/contracts'
import type { Logger } from 'pino'
import type { z } from 'zod'
import type { Inventory, Source } from '../inventory/create-inventory.ts'
import type { SeqWindows } from '../dedup/create-seq-windows.ts'
import { KIND_LINES } from '../kinds/index.ts'
import { heartbeatFields } from '../line/heartbeat-fields.ts'
import { statusFields } from '../line/status-fields.ts'
import { msTime, sequencedTime } from '../line/line-protocol.ts'

/** Why a message was dropped (label `reason` of `gangwan_ingest_dropped_total`). */
export type DropReason = 'bad_topic' | 'bad_json' | 'schema' | 'unknown_device' | 'kind_mismatch'
export const DROP_REASONS: readonly DropReason[] = ['bad_topic', 'bad_json', 'schema', 'unknown_device', 'kind_mismatch']
/** What an accepted message is (label `kind` of `gangwan_ingest_messages_total`). */
export type MessageKind = DeviceKind | 'status' | 'heartbeat'
export const MESSAGE_KINDS: readonly MessageKind[] = ['fire', 'elevator', 'fume', 'noise', 'falling_object', 'status', 'heartbeat']

/** Valid, deduplicated telemetry with where it comes from, as handed to analytics. */
export interface StoredTelemetry {
  type: 'telemetry'
  device: string
  gateway: string
  kind: DeviceKind
  building: string
  grid: string
  msg: Telemetry
  receivedAt: number
}

/**
 * A gateway's or device's status (online, or offline by last will) or heartbeat, with where it
 * comes from; `device` is absent for the gateway's own (or a direct device's gateway-level) topic.
 */
export type StoredPresence =
  | { type: 'status', gateway: string, device?: string, building: string, grid: string, status: Status, receivedAt: number }
  | { type: 'heartbeat', gateway: string, device?: string, building: string, grid: string, heartbeat: Heartbeat, receivedAt: number }

/** Everything stored that listeners (analytics) are handed, in commit order. */
export type StoredMessage = StoredTelemetry | StoredPresence

/** A message to journal: its line protocol, precomputed so the writer only concatenates. */
export interface Accepted {
  line: string
  kind: MessageKind
  /** The telemetry's own `ts` (ms) for the store-latency summary; null for status and heartbeat. */
  measuredAt: number | null
  /** Arrival at the broker (epoch ms), for the write-lag gauge. */
  receivedAt: number
  /** Window and key the seq was recorded in, to un-record it if the commit fails. */
  windows: SeqWindows | null
  key: string
  seq: number
  stored: StoredMessage | null
}

/** The verdict on one PUBLISH. */
export type Verdict = Accepted | DropReason | 'duplicate' | 'command_ack'

/** Classifies one PUBLISH: its topic, its payload decoded as UTF-8, its arrival time (epoch ms). */
export type Classify = (topic: string, payload: string, receivedAt: number) => Verdict

/** What {@link createClassifier} needs. */
export interface ClassifierDeps {
  inventory: Inventory
  telemetryWindows: SeqWindows
  heartbeatWindows: SeqWindows
  log: Logger
  now: () => number
}

const SCHEMA_WARN_INTERVAL_MS = 60_000

/**
 * Validates one inbound PUBLISH and turns it into a journal line. Pure apart from the seq windows
 * and the rate-limited schema warning. The inventory is checked before the payload is parsed, so a
 * sender that is not registered costs no JSON parse and the warning map stays bounded by the
 * inventory.
 *
 * @example const v = createClassifier(deps)(topic, payload, Date.now()); if (typeof v !== 'string') journal(v.line)
 */
export function createClassifier (deps: ClassifierDeps): Classify {
  const { inventory, telemetryWindows, heartbeatWindows, log, now } = deps
  const lastWarn = new Map<string, number>()

  function schemaIssue (source: string, channel: string, error: z.ZodError): 'schema' {
    const t = now()
    const last = lastWarn.get(source)
    if (last === undefined || t - last >= SCHEMA_WARN_INTERVAL_MS) {
      lastWarn.set(source, t)
      const first = error.issues[0]
      log.warn({ source, channel, path: first?.path.join('.'), issue: first?.message }, 'invalid payload dropped (further ones from this source are counted, not logged, for a minute)')
    }
    return 'schema'
  }

  function json (payload: string): unknown {
    try { return JSON.parse(payload) } catch { return undefined }
  }

  function presence (src: Source, gateway: string, device: string | undefined, channel: 'status' | 'heartbeat', payload: string, receivedAt: number): Verdict {
    const body = json(payload)
    if (body === undefined) return 'bad_json'
    if (channel === 'status') {
      const r = StatusSchema.safeParse(body)
      if (!r.success) return schemaIssue(src.id, channel, r.error)
      const line = src.statusKey + ' ' + statusFields(r.data) + ' ' + msTime(r.data.ts ?? receivedAt)
      const stored: StoredPresence = { type: 'status', gateway, building: src.building, grid: src.grid, status: r.data, receivedAt }
      if (device !== undefined) stored.device = device
      return { line, kind: 'status', measuredAt: null, receivedAt, windows: null, key: src.id, seq: 0, stored }
    }
    const r = HeartbeatSchema.safeParse(body)
    if (!r.success) return schemaIssue(src.id, channel, r.error)
    const m = r.data
    if (heartbeatWindows.seen(src.id, m.seq)) return 'duplicate'
    const line = src.heartbeatKey + ' ' + heartbeatFields(m) + ' ' + sequencedTime(m.ts, m.seq)
    const stored: StoredPresence = { type: 'heartbeat', gateway, building: src.building, grid: src.grid, heartbeat: m, receivedAt }
    if (device !== undefined) stored.device = device
    return { line, kind: 'heartbeat', measuredAt: null, receivedAt, windows: heartbeatWindows, key: src.id, seq: m.seq, stored }
  }

  return function classify (topicName, payload, receivedAt) {
    const topic = parseTopic(topicName)
    if (topic === null) return 'bad_topic'
    const { channel } = topic
    if (channel === 'cmd/ack') return 'command_ack'
    if (channel === 'cmd') return 'bad_topic'
    if (topic.device === undefined) {
      const src = inventory.gatewayLevel(topic.gateway)
      return src === undefined ? 'unknown_device' : presence(src, topic.gateway, undefined, channel as 'status' | 'heartbeat', payload, receivedAt)
    }
    const dev = inventory.device(topic.gateway, topic.device)
    if (dev === undefined) return 'unknown_device'
    if (channel !== 'telemetry') return presence(dev, topic.gateway, dev.id, channel as 'status' | 'heartbeat', payload, receivedAt)

    const body = json(payload)
    if (body === undefined) return 'bad_json'
    const r = TelemetrySchema.safeParse(body)
    if (!r.success) return schemaIssue(dev.id, channel, r.error)
    const m = r.data
    if (m.kind !== dev.kind) return 'kind_mismatch'
    if (telemetryWindows.seen(dev.id, m.seq)) return 'duplicate'
    const fields = (KIND_LINES[m.kind].fields as (t: Telemetry) => string)(m)
    return {
      line: dev.telemetryKey + ' ' + fields + ' ' + sequencedTime(m.ts, m.seq),
      kind: m.kind,
      measuredAt: m.ts,
      receivedAt,
      windows: telemetryWindows,
      key: dev.id,
      seq: m.seq,
      stored: { type: 'telemetry', device: dev.id, gateway: topic.gateway, kind: m.kind, building: dev.building, grid: dev.grid, msg: m, receivedAt }
    }
  }
}
