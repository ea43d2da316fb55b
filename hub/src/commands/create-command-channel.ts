import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { CommandAckSchema, CommandSchema, GangwanError, TOPIC_PREFIX, parseTopic, type Community } from '@gangwan/contracts'
import type { Broker } from '@gangwan/broker'
import type { CommandChannel, CommandRecord } from '@gangwan/dashboard'
import { checkCommandArgs, nameLabel, type CommandNameLabel } from './command-args.ts'
import { createCommandMetrics, type IgnoredAck } from './command-metrics.ts'
import { createCommandTargets, type CommandTarget } from './command-targets.ts'
import { createRecentCommands } from './recent-commands.ts'

/** Default wait for an acknowledgement (protocol §9), ms. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000
/** Commands the hub remembers, pending or ended. */
export const DEFAULT_MAX_RECENT_COMMANDS = 1000
/** Acknowledgements of every namespace: a gateway's own and its devices'. */
const ACK_FILTERS = [`${TOPIC_PREFIX}/+/cmd/ack`, `${TOPIC_PREFIX}/+/d/+/cmd/ack`]
const WARN_INTERVAL_MS = 60_000

/** What {@link createCommandChannel} needs. */
export interface CommandChannelOptions {
  community: Community
  /** The hub's running broker: commands are published and acknowledgements received in process. */
  broker: Pick<Broker, 'publish' | 'subscribe'>
  log: Logger
  metrics: Registry
  /** Default wait for an acknowledgement, ms. */
  timeoutMs?: number
  maxRecent?: number
  /** Wall clock, epoch ms. */
  now?: () => number
}

/** The hub's command channel: the dashboard's {@link CommandChannel} with a lifecycle. */
export interface HubCommandChannel extends CommandChannel {
  /** Subscribes to the acknowledgement topics; call once the broker runs. */
  start: () => Promise<void>
  /** Unsubscribes and stops the expiry timers (pending commands stay pending); `send` then fails. */
  stop: () => Promise<void>
  /** Commands waiting for their acknowledgement. */
  readonly pending: number
}

interface Entry {
  record: CommandRecord
  target: CommandTarget
  label: CommandNameLabel
  /** performance.now() at publishing, for the latency histogram. */
  sentAt: number
  timer?: NodeJS.Timeout
}

/**
 * Sends commands (protocol §9) through the hub's own aedes at QoS 1, so a subscribed gateway gets
 * them over MQTT (and a persistent session gets them when it reconnects), and follows each one:
 * `pending` until its acknowledgement, then `ok` or `failed` (with the client's error text), or
 * `expired` after its timeout. Only an acknowledgement on the command's own `cmd/ack` topic counts:
 * the broker's ACL lets a client publish in its own namespace only, so another gateway cannot
 * answer for it. Invalid acknowledgements are counted and warned about (at most once a minute per
 * namespace), never thrown. The last `maxRecent` commands are kept in memory.
 *
 * @example
 * const commands = createCommandChannel({ community, broker, log, metrics })
 * await commands.start()
 * const { id } = await commands.send('GW-B03', { name: 'reset' }, 'admin')
 */
export function createCommandChannel (opts: CommandChannelOptions): HubCommandChannel {
  const log = opts.log.child({ component: 'commands' })
  const now = opts.now ?? Date.now
  const defaultTimeoutMs = opts.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS
  const targets = createCommandTargets(opts.community)
  let pending = 0
  const metrics = createCommandMetrics(opts.metrics, () => pending)
  const recent = createRecentCommands<Entry>(opts.maxRecent ?? DEFAULT_MAX_RECENT_COMMANDS, (e) => {
    if (e.record.status !== 'pending') return
    clearTimeout(e.timer)
    pending--
    metrics.ended(e.label, 'evicted')
    log.warn({ commandId: e.record.id, gatewayId: e.record.gatewayId }, 'pending command forgotten: too many recent commands')
  })
  const lastWarn = new Map<string, number>()
  let unsubscribe: Array<() => Promise<void>> = []
  let running = false

  const copy = (r: CommandRecord): CommandRecord => ({ ...r })

  function end (e: Entry, status: 'ok' | 'failed' | 'expired'): void {
    clearTimeout(e.timer)
    e.timer = undefined
    e.record.status = status
    pending--
    metrics.ended(e.label, status)
  }

  function ignore (reason: IgnoredAck, gatewayId: string, detail: Record<string, unknown>): void {
    metrics.ignored(reason)
    if (reason === 'late' || reason === 'repeat' || reason === 'unknown') {
      log.debug({ gatewayId, reason, ...detail }, 'command acknowledgement ignored')
      return
    }
    const t = now()
    const last = lastWarn.get(gatewayId)
    if (last !== undefined && t - last < WARN_INTERVAL_MS) return
    lastWarn.set(gatewayId, t)
    log.warn({ gatewayId, reason, ...detail }, 'command acknowledgement ignored (further ones from this namespace are counted, not logged, for a minute)')
  }

  function onAck (topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic)
    if (parsed === null) return
    let body: unknown
    try { body = JSON.parse(payload.toString('utf8')) } catch { ignore('invalid', parsed.gateway, { topic, issue: 'not JSON' }); return }
    const r = CommandAckSchema.safeParse(body)
    if (!r.success) {
      const issue = r.error.issues[0]
      ignore('invalid', parsed.gateway, { topic, path: issue?.path.join('.'), issue: issue?.message })
      return
    }
    const ack = r.data
    const e = recent.get(ack.id)
    if (e === undefined) { ignore('unknown', parsed.gateway, { commandId: ack.id }); return }
    if (e.target.ackTopic !== topic) { ignore('foreign', parsed.gateway, { commandId: ack.id, topic, expected: e.target.ackTopic }); return }
    if (e.record.status !== 'pending') { ignore(e.record.status === 'expired' ? 'late' : 'repeat', parsed.gateway, { commandId: ack.id }); return }
    e.record.ackedAt = now()
    e.record.ackTs = ack.ts
    if (!ack.ok) e.record.error = ack.error ?? 'refused without a reason'
    end(e, ack.ok ? 'ok' : 'failed')
    metrics.answered((performance.now() - e.sentAt) / 1000)
    log.info({ commandId: ack.id, gatewayId: e.record.gatewayId, deviceId: e.record.deviceId, status: e.record.status, error: e.record.error }, 'command acknowledged')
  }

  return {
    get pending () { return pending },

    async start () {
      if (running) return
      for (const filter of ACK_FILTERS) unsubscribe.push(await opts.broker.subscribe(filter, onAck))
      running = true
    },

    async stop () {
      running = false
      const subs = unsubscribe
      unsubscribe = []
      for (const off of subs) await off()
      for (const e of recent.values()) { clearTimeout(e.timer); e.timer = undefined }
    },

    async send (gatewayId, command, issuedBy) {
      const target = targets.resolve(gatewayId, command.deviceId)
      const args = checkCommandArgs(command.name, command.args ?? {})
      if (!running) throw new GangwanError('GW_ERR_COMMAND_UNAVAILABLE')
      const ts = now()
      const timeoutMs = command.timeoutS === undefined ? defaultTimeoutMs : command.timeoutS * 1000
      const message = CommandSchema.parse({ id: `c-${randomUUID()}`, name: command.name, ts, args })
      const record: CommandRecord = {
        id: message.id, gatewayId, ...(target.deviceId === undefined ? {} : { deviceId: target.deviceId }),
        name: message.name, args: message.args, status: 'pending', issuedAt: ts,
        ...(issuedBy === undefined ? {} : { issuedBy }), expiresAt: ts + timeoutMs
      }
      const e: Entry = { record, target, label: nameLabel(message.name), sentAt: performance.now() }
      recent.add(record.id, e)
      pending++
      e.timer = setTimeout(() => {
        if (e.record.status !== 'pending') return
        end(e, 'expired')
        log.warn({ commandId: record.id, gatewayId, deviceId: target.deviceId, name: record.name, timeoutMs }, 'command expired without an acknowledgement')
      }, timeoutMs)
      try {
        await opts.broker.publish(target.commandTopic, Buffer.from(JSON.stringify(message)), 1)
      } catch (err) {
        clearTimeout(e.timer)
        recent.delete(record.id)
        pending--
        throw new GangwanError('GW_ERR_COMMAND_UNAVAILABLE', `command not published: ${(err as Error).message}`, { cause: err })
      }
      metrics.sent(e.label)
      return copy(record)
    },

    list (gatewayId, limit) {
      if (!targets.has(gatewayId)) throw new GangwanError('GW_ERR_API_NOT_FOUND', `"${gatewayId}" is not a gateway or a directly connected device of the community`)
      return recent.newest((e) => e.record.gatewayId === gatewayId, limit).map((e) => copy(e.record))
    },

    get (id) {
      const e = recent.get(id)
      return e === undefined ? undefined : copy(e.record)
    }
  }
}
