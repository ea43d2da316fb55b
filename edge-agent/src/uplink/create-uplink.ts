import { readFileSync } from 'node:fs'
import { MqttClient, type IClientOptions } from 'mqtt'
import pRetry, { AbortError } from 'p-retry'
import type { Logger } from 'pino'
import { topics } from '@gangwan/contracts'
import type { EdgeConfig } from '../config.ts'
import type { Metrics } from '../observe/create-metrics.ts'
import type { Spool } from '../spool/spool.ts'
import { parseUplinkUrl, uplinkStreamBuilder } from './connect-stream.ts'
import { createSender, type Sender } from './create-sender.ts'

export interface UplinkOptions {
  gatewayId: string
  config: EdgeConfig['uplink']
  spool: Spool
  metrics: Metrics
  log: Logger
  /** A command the hub published on one of this gateway's command topics. */
  onCommand: (topic: string, payload: Buffer) => void
  /** Called after each successful connection (e.g. to send a heartbeat at once). */
  onConnect?: () => void
}

export interface Uplink {
  start: () => void
  /** Publishes `offline` (reason `shutdown`) when connected, then disconnects cleanly. */
  stop: () => Promise<void>
  connected: () => boolean
  /** Publishes outside the spool (heartbeats): lost if the uplink is down, by design. */
  publishNow: (topic: string, payload: Buffer, retain?: boolean) => Promise<void>
}

const status = (state: 'online' | 'offline', reason: string): Buffer => Buffer.from(JSON.stringify({ state, reason, ...(state === 'online' ? { ts: Date.now() } : {}) }))

/**
 * The connection to the hub's broker with mqtt.js: QoS 1, TLS when the URL is `mqtts://`, a last
 * will marking the gateway offline, and reconnection with exponential back-off and jitter
 * (p-retry, `randomize`). Sessions are clean: the spool is the persistent session. Whatever the
 * hub has not acknowledged stays in the spool and is sent again, in order, on the next connection
 * (docs/protocol.md §5.1), so nothing depends on the broker remembering the session.
 */
export function createUplink (opts: UplinkOptions): Uplink {
  const { config: cfg, gatewayId, log, metrics } = opts
  const endpoint = parseUplinkUrl(cfg.url, {
    ...(cfg.caFile === undefined ? {} : { ca: readFileSync(cfg.caFile) }),
    ...(cfg.certFile === undefined ? {} : { cert: readFileSync(cfg.certFile) }),
    ...(cfg.keyFile === undefined ? {} : { key: readFileSync(cfg.keyFile) })
  })
  const streamBuilder = uplinkStreamBuilder(endpoint)
  let client: MqttClient | undefined
  let sender: Sender | undefined
  let stopping = false
  const abort = new AbortController()

  function connectOnce (): Promise<MqttClient> {
    return new Promise((resolve, reject) => {
      if (stopping) { reject(new AbortError('stopping')); return }
      const options: IClientOptions = {
        clientId: gatewayId,
        username: gatewayId,
        password: cfg.password,
        clean: true,
        keepalive: cfg.keepaliveS,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        protocolVersion: 4,
        // mqtt-packet pre-builds 65,536 topic-id buffers for its write cache by default: ~7 MB of a
        // gateway's heap for a feature only MQTT 5 topic aliases use.
        writeCache: false,
        will: { topic: topics.gatewayStatus(gatewayId), payload: status('offline', 'last-will'), qos: 1, retain: true }
      }
      const c = new MqttClient(streamBuilder, options)
      const fail = (err: Error): void => {
        c.removeAllListeners()
        c.on('error', () => {})
        c.end(true)
        reject(err)
      }
      c.once('connect', () => {
        c.removeListener('error', fail)
        c.removeListener('close', onCloseEarly)
        resolve(c)
      })
      const onCloseEarly = (): void => { fail(new Error('connection closed before CONNACK')) }
      c.once('error', fail)
      c.once('close', onCloseEarly)
    })
  }

  async function run (): Promise<void> {
    while (!stopping) {
      let c: MqttClient
      try {
        c = await pRetry(connectOnce, {
          retries: Infinity,
          factor: 2,
          minTimeout: cfg.reconnectMinMs,
          maxTimeout: cfg.reconnectMaxMs,
          randomize: true,
          signal: abort.signal,
          onFailedAttempt: ({ error, attemptNumber }) => {
            metrics.inc('gangwan_edge_uplink_connects_total', { outcome: 'failed' })
            if (attemptNumber === 1 || attemptNumber % 10 === 0) log.warn({ code: 'GW_ERR_EDGE_UPLINK_DOWN', err: error.message, attempt: attemptNumber }, 'uplink connection failed, retrying with back-off')
          }
        })
      } catch {
        return // aborted: stopping
      }
      if (stopping) { c.end(true); return }
      metrics.inc('gangwan_edge_uplink_connects_total', { outcome: 'connected' })
      log.info({ url: cfg.url }, 'uplink connected')
      client = c
      c.on('message', (topic, payload) => { opts.onCommand(topic, payload) })
      c.on('error', (err) => { log.warn({ err: err.message }, 'uplink error') })
      const closed = new Promise<void>((resolve) => c.once('close', () => resolve()))
      c.publish(topics.gatewayStatus(gatewayId), status('online', 'boot'), { qos: 1, retain: true })
      c.subscribe([topics.gatewayCommand(gatewayId), `${topics.namespace(gatewayId)}d/+/cmd`], { qos: 1 })
      sender = createSender({ client: c, spool: opts.spool, maxInflight: cfg.maxInflight, metrics, log })
      sender.pump()
      opts.onConnect?.()
      await closed
      sender.dispose()
      sender = undefined
      client = undefined
      c.removeAllListeners()
      c.on('error', () => {})
      c.end(true)
      if (!stopping) log.warn({ code: 'GW_ERR_EDGE_UPLINK_DOWN', spoolDepth: opts.spool.stats().depth }, 'uplink lost; spooling until it is back')
    }
  }

  let running: Promise<void> | undefined
  opts.spool.onAppend(() => sender?.pump())

  return {
    start () { running ??= run() },
    async stop () {
      stopping = true
      abort.abort()
      const c = client
      if (c?.connected === true) {
        await new Promise<void>((resolve) => {
          c.publish(topics.gatewayStatus(gatewayId), status('offline', 'shutdown'), { qos: 1, retain: true }, () => resolve())
          setTimeout(resolve, 2000).unref()
        })
        await new Promise<void>((resolve) => c.end(false, {}, () => resolve()))
      } else c?.end(true)
      await running
    },
    connected: () => client?.connected === true,
    async publishNow (topic, payload, retain = false) {
      const c = client
      if (c?.connected !== true) throw new Error('uplink down')
      await c.publishAsync(topic, payload, { qos: 1, retain })
    }
  }
}
