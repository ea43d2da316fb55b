import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'
import { DeviceKindSchema, IdSchema } from '@gangwan/contracts'
import { ModbusDeviceConfigSchema } from './southbound/modbus/create-modbus-poller.ts'

const port = z.number().int().min(0).max(65535)

/** Where the agent sends everything: the hub's broker, as the gateway `gatewayId`. */
const UplinkSchema = z.object({
  /** `mqtt://host:port` or `mqtts://host:port`. */
  url: z.string().regex(/^mqtts?:\/\/[^/]+$/, 'must be mqtt://host:port or mqtts://host:port'),
  /** The secret the hub issued for this gateway (username = client id = gatewayId). */
  password: z.string().min(1),
  /** PEM files for TLS: the CA that signed the hub's certificate; a client certificate and key if the hub asks for one. */
  caFile: z.string().optional(),
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
  keepaliveS: z.number().int().min(1).max(300).default(30),
  /** Reconnect back-off: first delay, cap (ms); each delay is doubled and randomised (full jitter). */
  reconnectMinMs: z.number().int().min(10).max(60_000).default(1000),
  reconnectMaxMs: z.number().int().min(100).max(600_000).default(60_000),
  /**
   * Messages published and not yet acknowledged (PUBACK) at once. Replay speed after an outage is
   * bound by this window over the round trip to the hub (bench:edge: 1,000 → ~11k/s, 5,000 → ~20k/s).
   */
  maxInflight: z.number().int().min(1).max(20_000).default(5000)
}).strict()

const LocalMqttSchema = z.object({
  host: z.string().default('0.0.0.0'),
  port: port.default(1883),
  /** username → password of devices on the LAN; absent: the LAN is trusted and no login is asked. */
  users: z.record(z.string().min(1), z.string().min(1)).optional(),
  maxPayloadBytes: z.number().int().min(256).max(1024 * 1024).default(65_536)
}).strict()

const SpoolSchema = z.object({
  /** Bound on the readings kept; when full, the oldest low-priority readings are dropped first. */
  maxReadings: z.number().int().min(10).default(2_000_000),
  /** Bound on the payload bytes kept, same policy. */
  maxBytes: z.number().int().min(10_000).default(512 * 1024 * 1024),
  /** SQLite `synchronous`: `full` fsyncs every group commit (power-loss safe); `normal` only at checkpoints (survives a killed process, not a power cut). */
  sync: z.enum(['full', 'normal']).default('full')
}).strict()

/** A local sounder or relay switched on by a fire alarm, without the hub. */
const SounderSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('modbus-coil'), host: z.string(), port, unitId: z.number().int().min(0).max(247), coil: z.number().int().min(0).max(65535) }).strict(),
  z.object({ type: z.literal('mqtt'), deviceId: IdSchema }).strict()
])

/** Settings the hub may change at run time with a `config` command (docs/edge-agent.md). */
export const RuntimeSettingsSchema = z.object({
  heartbeatIntervalS: z.number().int().min(10).max(3600).default(60),
  /** Modbus polling interval of every polled device unless set per device. */
  reportIntervalS: z.number().int().min(1).max(3600).optional(),
  /** Local life safety: a fire reading at or above these sounds the sounder even without the detector's own alarm flag. */
  smokeThresholdDbM: z.number().min(0).max(20).default(0.15),
  heatThresholdC: z.number().min(-40).max(300).default(70)
}).strict()
export type RuntimeSettings = z.infer<typeof RuntimeSettingsSchema>

/** The agent's configuration file (JSON), validated once at start. */
export const EdgeConfigSchema = z.object({
  gatewayId: IdSchema,
  dataDir: z.string().min(1),
  uplink: UplinkSchema,
  local: z.object({ mqtt: LocalMqttSchema.optional() }).strict().default({}),
  modbus: z.object({ devices: z.array(ModbusDeviceConfigSchema).default([]) }).strict().default({ devices: [] }),
  /** Devices allowed behind this gateway (id → kind); absent: any device id the LAN publishes is relayed. */
  devices: z.record(IdSchema, DeviceKindSchema).optional(),
  spool: SpoolSchema.default({ maxReadings: 2_000_000, maxBytes: 512 * 1024 * 1024, sync: 'full' }),
  sounders: z.array(SounderSchema).default([]),
  settings: RuntimeSettingsSchema.default({ heartbeatIntervalS: 60, smokeThresholdDbM: 0.15, heatThresholdC: 70 }),
  /** Local HTTP endpoint with `/metrics` and `/healthz` (127.0.0.1 by default); absent: none. */
  http: z.object({ host: z.string().default('127.0.0.1'), port }).strict().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
}).strict().superRefine((c, ctx) => {
  const u = c.uplink
  if ((u.certFile === undefined) !== (u.keyFile === undefined)) ctx.addIssue({ code: 'custom', path: ['uplink'], message: 'certFile and keyFile go together' })
  if (u.reconnectMaxMs < u.reconnectMinMs) ctx.addIssue({ code: 'custom', path: ['uplink', 'reconnectMaxMs'], message: 'must be ≥ reconnectMinMs' })
  const ids = new Set<string>()
  for (const [i, d] of c.modbus.devices.entries()) {
    if (ids.has(d.id)) ctx.addIssue({ code: 'custom', path: ['modbus', 'devices', i, 'id'], message: `duplicate device ${d.id}` })
    ids.add(d.id)
  }
})
export type EdgeConfig = z.infer<typeof EdgeConfigSchema>

/**
 * Reads and validates a config file. Relative paths inside it (dataDir, TLS files) are taken from
 * the file's folder, so a config works wherever the agent is started from. Throws a readable
 * error naming every invalid field.
 */
export function loadEdgeConfig (file: string): Readonly<EdgeConfig> {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read config ${file}: ${(err as Error).message}`)
  }
  const r = EdgeConfigSchema.safeParse(raw)
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new Error(`invalid config ${file}:\n${lines.join('\n')}`)
  }
  const base = dirname(resolve(file))
  const at = (p: string | undefined): string | undefined => p === undefined ? undefined : resolve(base, p)
  const c = r.data
  return Object.freeze({
    ...c,
    dataDir: resolve(base, c.dataDir),
    uplink: { ...c.uplink, caFile: at(c.uplink.caFile), certFile: at(c.uplink.certFile), keyFile: at(c.uplink.keyFile) }
  })
}
