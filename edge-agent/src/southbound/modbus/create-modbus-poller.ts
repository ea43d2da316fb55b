import type { Logger } from 'pino'
import { z } from 'zod'
import { IdSchema, MODBUS_MODELS, ModbusKindSchema, ModbusModelIdSchema, type RegisterMap } from '@gangwan/contracts'
import { createModbusConnection, ModbusRequestError, type ModbusBackoff, type ModbusClient, type ModbusConnection } from './create-modbus-connection.ts'
import { decodeRegisters, planReads, type ReadRequest, type RegisterBlock } from './decode-registers.ts'

/**
 * One device read over Modbus TCP: its id, kind and model (a key of `MODBUS_MODELS`, whose kind
 * must match), where it answers (`host:port`, Modbus unit `unitId`), how often it is polled and
 * how long an answer may take.
 */
export const ModbusDeviceConfigSchema = z.object({
  id: IdSchema,
  kind: ModbusKindSchema,
  model: ModbusModelIdSchema,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  unitId: z.number().int().min(1).max(247),
  intervalS: z.number().min(1).max(3600).default(60),
  timeoutMs: z.number().int().min(10).max(60_000).default(2000)
}).strict().superRefine((d, ctx) => {
  const kind = MODBUS_MODELS[d.model].kind
  if (kind !== d.kind) ctx.addIssue({ code: 'custom', path: ['model'], message: `model ${d.model} is a ${kind} device, not ${d.kind}` })
})
export type ModbusDeviceConfig = z.infer<typeof ModbusDeviceConfigSchema>
export type ModbusDeviceConfigInput = z.input<typeof ModbusDeviceConfigSchema>

/** One successful poll: the fields decoded per the model's map, `ts` the poll time (epoch ms). */
export interface PolledReading { deviceId: string; kind: 'noise' | 'fume'; ts: number; fields: Record<string, number | boolean> }

/** Options of {@link createModbusPoller}. */
export interface ModbusPollerOptions {
  devices: readonly ModbusDeviceConfigInput[]
  log: Logger
  /** Clock of the readings' `ts`, epoch ms. */
  now?: () => number
  onReading: (r: PolledReading) => void
  /** On change only: `offline` after {@link FAILURES_BEFORE_OFFLINE} failed polls in a row, `online` on the first answer. */
  onPresence: (deviceId: string, state: 'online' | 'offline', reason: string) => void
  /** Reconnect back-off per connection (default 1 s doubling to 30 s). */
  backoff?: ModbusBackoff
}

/** The running poller. */
export interface ModbusPoller {
  start: () => Promise<void>
  /** Stops polling and closes every socket. */
  stop: () => Promise<void>
  /** Changes the poll interval of one device, or of all with `undefined`; throws a `RangeError` outside 1–3600 s or for an unknown device. */
  setIntervalS: (deviceId: string | undefined, seconds: number) => void
  stats: () => { polls: number; errors: number }
}

/** Failed polls in a row before a device is reported offline. */
export const FAILURES_BEFORE_OFFLINE = 3

interface Device {
  cfg: ModbusDeviceConfig; map: RegisterMap; reads: ReadRequest[]; conn: ModbusConnection; log: Logger
  intervalMs: number; lastStart: number; timer: NodeJS.Timeout | undefined; running: Promise<void> | undefined
  failures: number; state: 'unknown' | 'online' | 'offline'
}

async function readBlock (client: ModbusClient, r: ReadRequest): Promise<RegisterBlock> {
  switch (r.table) {
    case 'holding': return { ...r, values: (await client.readHoldingRegisters(r.start, r.count)).data }
    case 'input': return { ...r, values: (await client.readInputRegisters(r.start, r.count)).data }
    // Bit reads come back padded to whole bytes.
    case 'coil': return { ...r, values: (await client.readCoils(r.start, r.count)).data.slice(0, r.count) }
    case 'discrete': return { ...r, values: (await client.readDiscreteInputs(r.start, r.count)).data.slice(0, r.count) }
  }
}

/**
 * Polls Modbus TCP devices on their intervals and hands back decoded readings and presence
 * changes. Devices behind one `host:port` share one connection, their requests queued one at a
 * time; a failing device (timeout, exception, lost connection) is logged with a reason code and
 * counted, and never stops the others. Nothing throws out of the poller once started.
 *
 * @example
 * const poller = createModbusPoller({ devices, log, onReading: (r) => spool.add(r), onPresence })
 * await poller.start()
 */
export function createModbusPoller (opts: ModbusPollerOptions): ModbusPoller {
  const now = opts.now ?? Date.now
  const configs = opts.devices.map((d) => ModbusDeviceConfigSchema.parse(d))
  const ids = new Set<string>()
  for (const c of configs) {
    if (ids.has(c.id)) throw new RangeError(`device "${c.id}" is configured twice`)
    ids.add(c.id)
  }
  const connections = new Map<string, ModbusConnection>()
  const devices = configs.map((cfg): Device => {
    const key = `${cfg.host}:${cfg.port}`
    let conn = connections.get(key)
    if (conn === undefined) {
      conn = createModbusConnection({ host: cfg.host, port: cfg.port, log: opts.log, ...(opts.backoff !== undefined ? { backoff: opts.backoff } : {}) })
      connections.set(key, conn)
    }
    const map = MODBUS_MODELS[cfg.model].map
    return {
      cfg, map, reads: planReads(map), conn, log: opts.log.child({ deviceId: cfg.id }),
      intervalMs: cfg.intervalS * 1000, lastStart: -Infinity, timer: undefined, running: undefined, failures: 0, state: 'unknown'
    }
  })
  const counts = { polls: 0, errors: 0 }
  let started = false
  let stopped = false

  const safely = (what: string, d: Device, fn: () => void): void => {
    try { fn() } catch (err) { d.log.warn({ reason: 'callback-failed', err: (err as Error).message }, `${what} callback threw`) }
  }
  const presence = (d: Device, state: 'online' | 'offline', reason: string): void => {
    if (d.state === state) return
    d.state = state
    safely('onPresence', d, () => opts.onPresence(d.cfg.id, state, reason))
  }

  const poll = async (d: Device): Promise<void> => {
    const ts = now()
    counts.polls++
    let fields: Record<string, number | boolean>
    try {
      const blocks = await d.conn.request(d.cfg.unitId, d.cfg.timeoutMs, async (client) => {
        const out: RegisterBlock[] = []
        for (const r of d.reads) out.push(await readBlock(client, r))
        return out
      })
      fields = decodeRegisters(d.map, blocks)
    } catch (err) {
      if (stopped) return
      counts.errors++
      const reason = err instanceof ModbusRequestError ? err.reason : 'decode'
      const detail = { reason, err: (err as Error).message, ...(err instanceof ModbusRequestError && err.modbusCode !== undefined ? { modbusCode: err.modbusCode } : {}) }
      // While offline the same failure repeats every interval: warn until then, debug after.
      if (d.state === 'offline') d.log.debug(detail, 'modbus poll failed')
      else d.log.warn(detail, 'modbus poll failed')
      if (++d.failures >= FAILURES_BEFORE_OFFLINE) presence(d, 'offline', 'no-answer')
      return
    }
    d.failures = 0
    presence(d, 'online', 'answered')
    safely('onReading', d, () => opts.onReading({ deviceId: d.cfg.id, kind: d.cfg.kind, ts, fields }))
  }

  const schedule = (d: Device): void => {
    if (stopped || d.running !== undefined) return
    clearTimeout(d.timer)
    const t = performance.now()
    let next = d.lastStart + d.intervalMs
    // A slow poll (timeouts) skips the slots it overran rather than polling back to back.
    if (next < t && d.lastStart > -Infinity) next += Math.ceil((t - next) / d.intervalMs) * d.intervalMs
    d.timer = setTimeout(() => {
      d.timer = undefined
      d.lastStart = performance.now()
      d.running = poll(d).finally(() => { d.running = undefined; schedule(d) })
    }, Math.max(0, next - t))
  }

  return {
    async start () {
      if (started) return
      started = true
      for (const d of devices) schedule(d)
      opts.log.info({ devices: devices.length, connections: connections.size }, 'modbus poller started')
    },
    async stop () {
      if (stopped) return
      stopped = true
      for (const d of devices) clearTimeout(d.timer)
      await Promise.all([...connections.values()].map(async (c) => { await c.close() }))
      await Promise.all(devices.map(async (d) => { await d.running }))
    },
    setIntervalS (deviceId, seconds) {
      if (!(seconds >= 1 && seconds <= 3600)) throw new RangeError(`interval ${seconds} s is outside 1-3600 s`)
      const chosen = deviceId === undefined ? devices : devices.filter((d) => d.cfg.id === deviceId)
      if (chosen.length === 0) throw new RangeError(`no Modbus device "${deviceId}"`)
      for (const d of chosen) {
        d.intervalMs = seconds * 1000
        if (started) schedule(d)
      }
    },
    stats: () => ({ ...counts })
  }
}
