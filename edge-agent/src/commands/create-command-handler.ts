import type { Logger } from 'pino'
import { CommandSchema, MAX_SILENCE_S, SilenceArgsSchema, parseTopic, topics, type Command, type CommandAck } from '@gangwan/contracts'
import type { Metrics } from '../observe/create-metrics.ts'
import type { AgentState } from '../state/create-agent-state.ts'
import type { Spool } from '../spool/spool.ts'
import { LANES } from '../spool/spool.ts'
import type { LifeSafety } from '../life-safety/create-life-safety.ts'
import type { SettingsHolder } from './create-settings-holder.ts'

export interface CommandHandlerDeps {
  gatewayId: string
  state: AgentState
  spool: Spool
  lifeSafety: LifeSafety
  settings: SettingsHolder
  /** Devices the agent polls itself (Modbus): it answers for them. */
  polled: { has: (deviceId: string) => boolean, setIntervalS: (deviceId: string, s: number) => void }
  /** Forwards a command to a device on the LAN (local MQTT). */
  forward: (deviceId: string, payload: Buffer) => Promise<void>
  metrics: Metrics
  log: Logger
  /** How long a LAN device has to answer a forwarded command (ms). */
  deviceAckTimeoutMs?: number
}

export interface CommandHandler {
  /** A message on one of the gateway's command topics. */
  handle: (topic: string, payload: Buffer) => void
  /** A LAN device answered a forwarded command (validated by the intake). */
  onDeviceAck: (deviceId: string, ack: CommandAck) => void
  close: () => void
}

/**
 * Commands from the hub (docs/protocol.md §9): `config`, `silence` and `reset` for the gateway;
 * for a device, `config` (its polling interval) when the agent polls it, else the command is
 * forwarded to the device and its answer relayed. Every command is answered exactly once per id:
 * a repeat (QoS 1 may deliver twice) gets the remembered answer and is not applied again.
 * Answers go through the spool's alarm lane: they survive an outage and are not stuck behind a backlog.
 */
export function createCommandHandler (deps: CommandHandlerDeps): CommandHandler {
  const { gatewayId, log, metrics } = deps
  const waiting = new Map<string, { deviceId: string, timer: NodeJS.Timeout }>()

  function answer (ack: CommandAck, deviceId: string | undefined, name: string): void {
    deps.state.rememberAck(ack)
    metrics.inc('gangwan_edge_commands_total', { name, outcome: ack.ok ? 'ok' : 'failed' })
    if (!ack.ok) log.warn({ code: 'GW_ERR_EDGE_COMMAND_INVALID', commandId: ack.id, deviceId, error: ack.error }, 'command not applied')
    else log.info({ commandId: ack.id, deviceId, name }, 'command applied')
    send(ack, deviceId)
  }

  function send (ack: CommandAck, deviceId: string | undefined): void {
    const topic = deviceId === undefined ? topics.gatewayCommandAck(gatewayId) : topics.deviceCommandAck(gatewayId, deviceId)
    deps.spool.append({ topic, payload: Buffer.from(JSON.stringify(ack)), lane: LANES.alarm, retain: false })
      .catch((err: unknown) => { log.error({ err, commandId: ack.id }, 'command answer not spooled') })
  }

  const ok = (id: string): CommandAck => ({ id, ok: true, ts: Date.now() })
  const failed = (id: string, error: string): CommandAck => ({ id, ok: false, ts: Date.now(), error: error.slice(0, 500) })

  function forGateway (cmd: Command): CommandAck {
    switch (cmd.name) {
      case 'config': {
        const rejected = deps.settings.apply(cmd.args)
        return rejected.length === 0 ? ok(cmd.id) : failed(cmd.id, `not applied: ${rejected.join('; ')}`)
      }
      case 'silence': {
        const r = SilenceArgsSchema.safeParse(cmd.args)
        if (!r.success) return failed(cmd.id, `durationS must be whole seconds, 1..${MAX_SILENCE_S}`)
        deps.lifeSafety.silence(r.data.durationS)
        return ok(cmd.id)
      }
      case 'reset':
        deps.lifeSafety.reset()
        return ok(cmd.id)
      default:
        return failed(cmd.id, `unknown command ${cmd.name}`)
    }
  }

  function forPolled (cmd: Command, deviceId: string): CommandAck {
    if (cmd.name !== 'config') return failed(cmd.id, `${cmd.name} is not supported by a polled device`)
    const extra = Object.keys(cmd.args).filter((k) => k !== 'reportIntervalS')
    const s = cmd.args.reportIntervalS
    if (s !== undefined && (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > 3600)) return failed(cmd.id, 'reportIntervalS must be 1..3600')
    if (typeof s === 'number') deps.polled.setIntervalS(deviceId, s)
    return extra.length === 0 ? ok(cmd.id) : failed(cmd.id, `not applied: ${extra.join(', ')} (unknown setting)`)
  }

  return {
    handle (topic, payload) {
      const t = parseTopic(topic)
      if (t === null || t.gateway !== gatewayId || t.channel !== 'cmd') return
      let raw: unknown
      try { raw = JSON.parse(payload.toString('utf8')) } catch { raw = undefined }
      const r = CommandSchema.safeParse(raw)
      if (!r.success) {
        const id = typeof (raw as { id?: unknown } | undefined)?.id === 'string' ? (raw as { id: string }).id.slice(0, 64) : undefined
        metrics.inc('gangwan_edge_commands_total', { name: 'invalid', outcome: 'failed' })
        log.warn({ code: 'GW_ERR_EDGE_COMMAND_INVALID', topic, issues: r.error.issues.slice(0, 3) }, 'invalid command')
        if (id !== undefined && id.length > 0) send(failed(id, 'invalid command: ' + r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')), t.device)
        return
      }
      const cmd = r.data
      const previous = deps.state.ackOf(cmd.id)
      if (previous !== undefined) { send(previous, t.device); return }
      if (t.device === undefined) { answer(forGateway(cmd), undefined, cmd.name); return }
      if (deps.polled.has(t.device)) { answer(forPolled(cmd, t.device), t.device, cmd.name); return }
      if (waiting.has(cmd.id)) return
      const deviceId = t.device
      const timer = setTimeout(() => {
        waiting.delete(cmd.id)
        answer(failed(cmd.id, `device ${deviceId} did not answer within ${(deps.deviceAckTimeoutMs ?? 10_000) / 1000} s`), deviceId, cmd.name)
      }, deps.deviceAckTimeoutMs ?? 10_000)
      waiting.set(cmd.id, { deviceId, timer })
      deps.forward(deviceId, payload).catch((err: unknown) => { log.warn({ err, deviceId }, 'could not forward a command to a local device') })
    },
    onDeviceAck (deviceId, ack) {
      const w = waiting.get(ack.id)
      if (w === undefined || w.deviceId !== deviceId) return
      clearTimeout(w.timer)
      waiting.delete(ack.id)
      answer(ack, deviceId, 'forwarded')
    },
    close () {
      for (const w of waiting.values()) clearTimeout(w.timer)
      waiting.clear()
    }
  }
}
