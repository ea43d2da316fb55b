import { afterEach } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import pino from 'pino'
import { Registry } from 'prom-client'
import type { InboundMessage, PublishSink } from '@gangwan/contracts'
import { brokerConfig, createBroker, createCredentialStore, type Broker, type BrokerConfig, type CredentialStore, type Role } from '../../src/index.ts'
import { eventually as pollUntil } from '../../../test-support/eventually.ts'

/** What a recording sink does with the next message. */
export type SinkMode = 'accept' | 'reject' | 'hold'

/** A {@link PublishSink} that records every message and can reject or hold its promise. */
export interface RecordingSink extends PublishSink {
  readonly messages: InboundMessage[]
  mode: SinkMode
  /** Resolves every held accept() (the order they came in). */
  release: () => void
  readonly heldCount: number
}

export function createRecordingSink (): RecordingSink {
  const messages: InboundMessage[] = []
  let held: Array<() => void> = []
  const sink: RecordingSink = {
    messages,
    mode: 'accept',
    get heldCount () { return held.length },
    release () { const h = held; held = []; for (const r of h) r() },
    async accept (msg) {
      messages.push(msg)
      if (sink.mode === 'reject') throw new Error('journal write failed')
      if (sink.mode === 'hold') await new Promise<void>((resolve) => held.push(resolve))
    }
  }
  return sink
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually (check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  await pollUntil(async () => await check(), timeoutMs, what)
}

/** A refused or failed MQTT connect: `code` is the CONNACK return code when there was one. */
export type ConnectError = Error & { code?: number }

export interface Harness {
  broker: Broker
  config: Readonly<BrokerConfig>
  registry: Registry
  credentials: CredentialStore
  sink: RecordingSink
  /** Parsed JSON log lines the broker wrote. */
  logs: Array<Record<string, unknown>>
  dbPath: string
  provision: (id: string, role?: Role) => Promise<string>
  /** Connects with mqtt.js (MQTT 3.1.1, no reconnect); rejects with the CONNACK error. */
  connect: (opts: IClientOptions) => Promise<MqttClient>
  /** Current value of `gangwan_broker_refusals_total{reason}` read from the metrics text. */
  refusals: (reason: string) => Promise<number>
  metric: (name: string) => Promise<number>
  close: () => Promise<void>
}

/** Value of one sample in Prometheus text, e.g. `gangwan_broker_refusals_total{reason="x"}`. */
export async function sample (registry: Registry, series: string): Promise<number> {
  const text = await registry.metrics()
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1))
}

/** Starts a broker on an ephemeral port with a real credential store on a temp SQLite file. */
export async function startHarness (overrides: Partial<BrokerConfig> = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'gangwan-broker-'))
  const dbPath = join(dir, 'credentials.sqlite')
  const credentials = createCredentialStore({ path: dbPath })
  const registry = new Registry()
  const sink = createRecordingSink()
  const logs: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, cb) { logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>); cb() } })
  const log = pino({ level: 'debug' }, stream)
  const config = brokerConfig({ host: '127.0.0.1', port: 0, ...overrides })
  const broker = createBroker(config, { log, metrics: registry, credentials, sink })
  await broker.start()
  const clients: MqttClient[] = []

  return {
    broker, config, registry, credentials, sink, logs, dbPath,
    provision: async (id, role = 'gateway') => await credentials.provision(id, role),
    connect: async (opts) => await new Promise<MqttClient>((resolve, reject) => {
      const client = mqtt.connect({ host: '127.0.0.1', port: broker.port, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, keepalive: 60, ...opts })
      clients.push(client)
      client.once('connect', () => {
        // After CONNACK the tests watch 'close'; keep later socket errors from throwing.
        client.removeAllListeners('error')
        client.on('error', () => {})
        resolve(client)
      })
      client.once('error', (err) => reject(err as ConnectError))
      client.once('close', () => reject(new Error('closed before CONNACK')))
    }),
    refusals: async (reason) => await sample(registry, `gangwan_broker_refusals_total{reason="${reason}"}`),
    metric: async (name) => await sample(registry, name),
    async close () {
      await Promise.all(clients.map(async (c) => await new Promise<void>((resolve) => c.end(true, {}, () => resolve()))))
      await broker.stop()
      credentials.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Resolves when the broker has closed `client`'s connection; fails after `timeoutMs`. */
export async function closedByBroker (client: MqttClient, timeoutMs = 5000): Promise<void> {
  if (client.stream.destroyed) return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connection still open')), timeoutMs)
    client.once('close', () => { clearTimeout(timer); resolve() })
  })
}

/**
 * For a test file: returns a `start(overrides)` that starts a harness and closes every harness it
 * started after each test.
 */
export function useHarnesses (): (overrides?: Partial<BrokerConfig>) => Promise<Harness> {
  const started: Harness[] = []
  afterEach(async () => { await Promise.all(started.splice(0).map(async (h) => await h.close())) })
  return async (overrides = {}) => {
    const h = await startHarness(overrides)
    started.push(h)
    return h
  }
}
