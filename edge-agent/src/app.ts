import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { topics } from '@gangwan/contracts'
import type { EdgeConfig } from './config.ts'
import { createCommandHandler } from './commands/create-command-handler.ts'
import { createSettingsHolder } from './commands/create-settings-holder.ts'
import { createDeadLetter } from './intake/create-dead-letter.ts'
import { createIntake } from './intake/create-intake.ts'
import { createLifeSafety, type SounderOutput } from './life-safety/create-life-safety.ts'
import { createHeartbeat } from './observe/create-heartbeat.ts'
import { createMetrics } from './observe/create-metrics.ts'
import { createStatusServer } from './observe/create-status-server.ts'
import { createModbusPoller } from './southbound/modbus/create-modbus-poller.ts'
import { createModbusRelay } from './southbound/modbus/create-modbus-relay.ts'
import { createLocalListener } from './southbound/mqtt/create-local-listener.ts'
import { createSqliteSpool } from './spool/create-sqlite-spool.ts'
import { LANES } from './spool/spool.ts'
import { createAgentState } from './state/create-agent-state.ts'
import { createUplink } from './uplink/create-uplink.ts'

/** What a started agent tells its caller (and prints as `GANGWAN_EDGE_READY`). */
export interface EdgeReady {
  gatewayId: string
  /** The local MQTT listener's port, when configured. */
  localMqttPort?: number
  /** The status endpoint's port, when configured. */
  httpPort?: number
  bootCount: number
}

/**
 * Wires the agent: southbound drivers → intake (validate, local life safety) → spool → uplink, and
 * commands from the hub back down. No side effect until `start()`.
 */
export function createEdgeAgent (config: Readonly<EdgeConfig>, log: Logger): { start: () => Promise<EdgeReady>, stop: () => Promise<void> } {
  const gw = config.gatewayId
  let stopAll: (() => Promise<void>) | undefined

  async function start (): Promise<EdgeReady> {
    mkdirSync(config.dataDir, { recursive: true })
    const state = createAgentState(join(config.dataDir, 'state.db'))
    const spool = createSqliteSpool({ file: join(config.dataDir, 'spool.db'), ...config.spool })
    const metrics = createMetrics()
    const settings = createSettingsHolder(config.settings, state.settingsOverrides(), state.saveSettingsOverrides)
    const deadLetter = createDeadLetter(join(config.dataDir, 'dead-letter.jsonl'))

    // Filled once the local listener exists; the sounder and forwarded commands go through it.
    let local: ReturnType<typeof createLocalListener> | undefined
    const localPublish = async (topic: string, payload: Buffer): Promise<void> => {
      if (local === undefined) throw new Error('no local MQTT listener configured')
      await local.publish(topic, payload)
    }
    const outputs: SounderOutput[] = config.sounders.map((s) => s.type === 'modbus-coil'
      ? { name: `modbus ${s.host}:${s.port}/${s.unitId}/coil ${s.coil}`, ...createModbusRelay({ host: s.host, port: s.port, unitId: s.unitId, coil: s.coil, log }) }
      : {
          name: `mqtt ${s.deviceId}`,
          set: async (on: boolean) => { await localPublish(topics.deviceCommand(gw, s.deviceId), Buffer.from(JSON.stringify({ id: `sounder-${Date.now()}`, name: 'sound', ts: Date.now(), args: { on } }))) },
          close: async () => {}
        })
    const lifeSafety = createLifeSafety({ outputs, settings: settings.get, log, metrics })

    const poller = createModbusPoller({
      devices: config.modbus.devices,
      log,
      onReading: (r) => { void intake.fromPoll(r).catch((err: unknown) => { metrics.inc('gangwan_edge_errors_total', { code: 'GW_ERR_EDGE_SPOOL_FAILED' }); log.error({ err, deviceId: r.deviceId }, 'polled reading not durable') }) },
      onPresence: (deviceId, s, reason) => { void intake.presence(deviceId, s, reason).catch((err: unknown) => { log.error({ err, deviceId }, 'presence not durable') }) }
    })
    const polledIds = new Set(config.modbus.devices.map((d) => d.id))

    const commands = createCommandHandler({
      gatewayId: gw,
      state,
      spool,
      lifeSafety,
      settings,
      polled: { has: (id) => polledIds.has(id), setIntervalS: (id, s) => { poller.setIntervalS(id, s) } },
      forward: async (deviceId, payload) => { await localPublish(topics.deviceCommand(gw, deviceId), payload) },
      metrics,
      log
    })
    const intake = createIntake({
      gatewayId: gw,
      devices: config.devices,
      spool,
      deadLetter,
      metrics,
      log,
      nextSeq: state.nextSeq,
      onTelemetry: lifeSafety.observe,
      onDeviceAck: commands.onDeviceAck
    })

    const uplink = createUplink({ gatewayId: gw, config: config.uplink, spool, metrics, log, onCommand: commands.handle, onConnect: () => { void heartbeat.beat() } })
    const drops = (): number => spool.stats().dropped + metrics.total('gangwan_edge_invalid_total')
    const heartbeat = createHeartbeat({
      gatewayId: gw,
      intervalS: () => settings.get().heartbeatIntervalS,
      nextSeq: () => state.nextSeq('heartbeat'),
      spoolDepth: () => spool.stats().depth,
      drops,
      publish: uplink.publishNow
    })
    settings.onChange((s, changed) => {
      if (changed.includes('heartbeatIntervalS')) heartbeat.reschedule()
      if (changed.includes('reportIntervalS') && s.reportIntervalS !== undefined) poller.setIntervalS(undefined, s.reportIntervalS)
    })

    metrics.gauge('gangwan_edge_spool_depth', 'Messages in the spool waiting for the hub', () => spool.stats().depth)
    metrics.gauge('gangwan_edge_spool_bytes', 'Payload bytes in the spool', () => spool.stats().bytes)
    metrics.gauge('gangwan_edge_spool_alarm_depth', 'Alarm-lane messages in the spool (emergencies, command answers)', () => spool.stats().depthByLane[LANES.alarm])
    metrics.gauge('gangwan_edge_spool_life_safety_depth', 'Routine life-safety messages in the spool', () => spool.stats().depthByLane[LANES.lifeSafety])
    metrics.counterFrom('gangwan_edge_dropped_total', 'Normal-lane readings dropped because the spool was full (GW_ERR_EDGE_SPOOL_FULL)', () => spool.stats().dropped)
    metrics.gauge('gangwan_edge_uplink_up', '1 while connected to the hub', () => uplink.connected() ? 1 : 0)
    metrics.gauge('gangwan_edge_sounder_on', '1 while the local sounder is on', () => lifeSafety.state().sounding ? 1 : 0)

    const ready: EdgeReady = { gatewayId: gw, bootCount: state.bootCount }
    if (config.local.mqtt !== undefined) {
      const m = config.local.mqtt
      local = createLocalListener({ gatewayId: gw, host: m.host, port: m.port, users: m.users, maxPayloadBytes: m.maxPayloadBytes, intake, metrics, log })
      ready.localMqttPort = await local.start()
    }
    await poller.start()
    const interval = settings.get().reportIntervalS
    if (interval !== undefined) poller.setIntervalS(undefined, interval)
    uplink.start()
    heartbeat.reschedule()
    const status = config.http === undefined
      ? undefined
      : createStatusServer({
        metrics: metrics.render,
        health: () => ({ gatewayId: gw, uplink: uplink.connected() ? 'up' : 'down', spool: spool.stats(), lifeSafety: lifeSafety.state(), settings: settings.get() })
      })
    if (status !== undefined && config.http !== undefined) ready.httpPort = await status.listen(config.http.host, config.http.port)
    log.info({ ...ready, spoolDepth: spool.stats().depth }, 'edge agent started')

    stopAll = async () => {
      await status?.close()
      await poller.stop()
      await local?.stop()
      heartbeat.stop()
      await uplink.stop()
      commands.close()
      await lifeSafety.close()
      await spool.close()
      state.close()
    }
    return ready
  }

  return {
    start,
    async stop () {
      const s = stopAll
      stopAll = undefined
      await s?.()
    }
  }
}
