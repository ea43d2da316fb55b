import { accessSync, constants, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { GangwanError } from '@gangwan/contracts'

const port = z.coerce.number().int().min(0).max(65535)
const file = z.string().min(1)

/** Environment variables of the hub process, all prefixed `GANGWAN_`. */
export const HubEnvSchema = z.object({
  GANGWAN_DATA_DIR: z.string().default('.data'),
  GANGWAN_COMMUNITY: z.string().default('communities/huaguoyuan.json'),
  GANGWAN_MQTT_HOST: z.string().default('0.0.0.0'),
  GANGWAN_MQTT_PORT: port.optional(),
  /** MQTT over TLS (conventionally 8883), on GANGWAN_MQTT_HOST; needs KEY and CERT. Unset: no TLS listener. */
  GANGWAN_MQTT_TLS_PORT: port.optional(),
  /** PEM files of the TLS listener: its private key, its certificate (chain). */
  GANGWAN_MQTT_TLS_KEY: file.optional(),
  GANGWAN_MQTT_TLS_CERT: file.optional(),
  /** PEM file of the CA that signs client certificates; set: clients must present one (besides their password). */
  GANGWAN_MQTT_TLS_CA: file.optional(),
  GANGWAN_HTTP_HOST: z.string().default('127.0.0.1'),
  GANGWAN_HTTP_PORT: port.optional(),
  GANGWAN_INFLUX_URL: z.url().optional(),
  GANGWAN_INFLUX_DB: z.string().regex(/^[A-Za-z0-9_]+$/).default('gangwan'),
  GANGWAN_INFLUX_USERNAME: z.string().optional(),
  GANGWAN_INFLUX_PASSWORD: z.string().optional(),
  GANGWAN_JOURNAL_SYNC: z.enum(['full', 'normal']).default('full'),
  GANGWAN_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(256).max(16 * 1024 * 1024).default(65536),
  GANGWAN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder of the anomaly models (manifest.json + .onnx); default: the models committed with analytics. */
  GANGWAN_MODELS_DIR: z.string().optional(),
  /** `off` runs the rules without the anomaly models. */
  GANGWAN_MODELS: z.enum(['on', 'off']).default('on'),
  /** Measurement time of stored telemetry analytics replays at start (0: none). */
  GANGWAN_ANALYTICS_REPLAY_S: z.coerce.number().int().min(0).max(86_400).default(900),
  /** `/healthz` fails once InfluxDB writes have failed for longer than this (s). */
  GANGWAN_HEALTH_INFLUX_DOWN_S: z.coerce.number().int().min(0).max(86_400).default(60),
  /** `/healthz` fails while more journal rows than this wait for InfluxDB. */
  GANGWAN_HEALTH_MAX_JOURNAL_PENDING: z.coerce.number().int().min(0).default(1_000_000),
  /** A PostgreSQL server for the alert queue and incidents, shared by several hub nodes; unset: SQLite under the data folder. */
  GANGWAN_DISPATCH_PG_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string').optional(),
  /** Console sessions end this long after their last request, and at the latest this long after login (s). */
  GANGWAN_SESSION_IDLE_S: z.coerce.number().int().positive().default(8 * 3600),
  GANGWAN_SESSION_MAX_S: z.coerce.number().int().positive().default(24 * 3600),
  /** A command not acknowledged within this long is `expired` (s); a request may ask for its own wait. */
  GANGWAN_COMMAND_TIMEOUT_S: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Test hooks: `analytics-after-detect` kills the process after an alert is detected, before it
   * is queued; `analytics-worker-exit` ends the first analytics worker thread at that point.
   */
  GANGWAN_FAILPOINT: z.enum(['analytics-after-detect', 'analytics-worker-exit']).optional()
}).superRefine((e, ctx) => {
  // TLS is all or nothing: a listener needs a port, a key and a certificate; a CA alone means nothing.
  const tlsVars = ['GANGWAN_MQTT_TLS_PORT', 'GANGWAN_MQTT_TLS_KEY', 'GANGWAN_MQTT_TLS_CERT', 'GANGWAN_MQTT_TLS_CA'] as const
  const given = tlsVars.filter((v) => e[v] !== undefined)
  if (given.length === 0) return
  for (const v of tlsVars.slice(0, 3)) {
    if (e[v] === undefined) ctx.addIssue({ code: 'custom', path: [v], message: `required with ${given.join(', ')}` })
  }
})

/** The hub's validated, frozen configuration. */
export interface HubConfig {
  dataDir: string
  communityFile: string
  mqtt: { host: string; port: number; portExplicit: boolean; maxPayloadBytes: number; tls: HubTlsConfig | undefined }
  http: { host: string; port: number; portExplicit: boolean }
  /** Absent: the hub starts and supervises a local influxd under `dataDir/influxdb`. */
  influxUrl: string | undefined
  influxDb: string
  influxUsername: string | undefined
  influxPassword: string | undefined
  journalSync: 'full' | 'normal'
  logLevel: string
  failpoint: 'analytics-after-detect' | 'analytics-worker-exit' | undefined
  /** Undefined: analytics runs its rules only. */
  modelsDir: string | undefined
  /** Measurement time replayed into analytics at start, ms. */
  analyticsReplayMs: number
  /** When `/healthz` reports a failure. */
  health: { influxDownMs: number; maxJournalPending: number }
  /** Absent `pgUrl`: the alert queue and incidents live in `dataDir/dispatch.db`. */
  dispatch: { pgUrl: string | undefined }
  sessions: { idleS: number; maxS: number }
  /** How long a command waits for its acknowledgement by default, ms. */
  commands: { timeoutMs: number }
}

/** The MQTT-over-TLS listener: explicit port, absolute PEM file paths. */
export interface HubTlsConfig { port: number; keyFile: string; certFile: string; caFile: string | undefined }

/** Issues for each TLS file that is not a readable file, so start-up fails before anything runs. */
function unreadable (vars: Record<string, string | undefined>): string[] {
  const out: string[] = []
  for (const [name, path] of Object.entries(vars)) {
    if (path === undefined) continue
    let problem: string | undefined
    try {
      accessSync(path, constants.R_OK)
      if (!statSync(path).isFile()) problem = 'not a file'
    } catch (err) {
      problem = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    }
    if (problem !== undefined) out.push(`${name}: cannot read "${path}" (${problem})`)
  }
  return out
}

/** The models committed with analytics (`npm run train` writes them). */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../analytics/models', import.meta.url))

/** Well-known ports tried first; taken ones are replaced by free ports with a warning. */
export const DEFAULT_MQTT_PORT = 1883
export const DEFAULT_HTTP_PORT = 8080

/**
 * Reads and validates the hub's environment once; throws `GW_ERR_CONFIG_INVALID` naming each bad
 * variable, including a TLS key, certificate or CA file that cannot be read (their contents are
 * checked when the broker starts).
 */
export function loadHubConfig (env: NodeJS.ProcessEnv, cwd = process.cwd()): Readonly<HubConfig> {
  const r = HubEnvSchema.safeParse(env)
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new GangwanError('GW_ERR_CONFIG_INVALID', `invalid hub environment:\n  ${lines.join('\n  ')}`)
  }
  const e = r.data
  const tls: HubTlsConfig | undefined = e.GANGWAN_MQTT_TLS_PORT === undefined || e.GANGWAN_MQTT_TLS_KEY === undefined || e.GANGWAN_MQTT_TLS_CERT === undefined
    ? undefined
    : Object.freeze({
      port: e.GANGWAN_MQTT_TLS_PORT,
      keyFile: resolve(cwd, e.GANGWAN_MQTT_TLS_KEY),
      certFile: resolve(cwd, e.GANGWAN_MQTT_TLS_CERT),
      caFile: e.GANGWAN_MQTT_TLS_CA === undefined ? undefined : resolve(cwd, e.GANGWAN_MQTT_TLS_CA)
    })
  const bad = tls === undefined ? [] : unreadable({ GANGWAN_MQTT_TLS_KEY: tls.keyFile, GANGWAN_MQTT_TLS_CERT: tls.certFile, GANGWAN_MQTT_TLS_CA: tls.caFile })
  if (bad.length > 0) throw new GangwanError('GW_ERR_CONFIG_INVALID', `invalid hub environment:\n  ${bad.join('\n  ')}`)
  return Object.freeze({
    dataDir: resolve(cwd, e.GANGWAN_DATA_DIR),
    communityFile: resolve(cwd, e.GANGWAN_COMMUNITY),
    mqtt: Object.freeze({ host: e.GANGWAN_MQTT_HOST, port: e.GANGWAN_MQTT_PORT ?? DEFAULT_MQTT_PORT, portExplicit: e.GANGWAN_MQTT_PORT !== undefined, maxPayloadBytes: e.GANGWAN_MAX_PAYLOAD_BYTES, tls }),
    http: Object.freeze({ host: e.GANGWAN_HTTP_HOST, port: e.GANGWAN_HTTP_PORT ?? DEFAULT_HTTP_PORT, portExplicit: e.GANGWAN_HTTP_PORT !== undefined }),
    influxUrl: e.GANGWAN_INFLUX_URL?.replace(/\/$/, ''),
    influxDb: e.GANGWAN_INFLUX_DB,
    influxUsername: e.GANGWAN_INFLUX_USERNAME,
    influxPassword: e.GANGWAN_INFLUX_PASSWORD,
    journalSync: e.GANGWAN_JOURNAL_SYNC,
    logLevel: e.GANGWAN_LOG_LEVEL,
    failpoint: e.GANGWAN_FAILPOINT,
    modelsDir: e.GANGWAN_MODELS === 'off' ? undefined : resolve(cwd, e.GANGWAN_MODELS_DIR ?? DEFAULT_MODELS_DIR),
    analyticsReplayMs: e.GANGWAN_ANALYTICS_REPLAY_S * 1000,
    health: Object.freeze({ influxDownMs: e.GANGWAN_HEALTH_INFLUX_DOWN_S * 1000, maxJournalPending: e.GANGWAN_HEALTH_MAX_JOURNAL_PENDING }),
    dispatch: Object.freeze({ pgUrl: e.GANGWAN_DISPATCH_PG_URL }),
    sessions: Object.freeze({ idleS: e.GANGWAN_SESSION_IDLE_S, maxS: e.GANGWAN_SESSION_MAX_S }),
    commands: Object.freeze({ timeoutMs: e.GANGWAN_COMMAND_TIMEOUT_S * 1000 })
  })
}
