import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { GangwanError } from '@gangwan/contracts'

const port = z.coerce.number().int().min(0).max(65535)

/** Environment variables of the hub process, all prefixed `GANGWAN_`. */
export const HubEnvSchema = z.object({
  GANGWAN_DATA_DIR: z.string().default('.data'),
  GANGWAN_COMMUNITY: z.string().default('communities/huaguoyuan.json'),
  GANGWAN_MQTT_HOST: z.string().default('0.0.0.0'),
  GANGWAN_MQTT_PORT: port.optional(),
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
  /**
   * Test hooks: `analytics-after-detect` kills the process after an alert is detected, before it
   * is queued; `analytics-worker-exit` ends the first analytics worker thread at that point.
   */
  GANGWAN_FAILPOINT: z.enum(['analytics-after-detect', 'analytics-worker-exit']).optional()
})

/** The hub's validated, frozen configuration. */
export interface HubConfig {
  dataDir: string
  communityFile: string
  mqtt: { host: string; port: number; portExplicit: boolean; maxPayloadBytes: number }
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
}

/** The models committed with analytics (`npm run train` writes them). */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../analytics/models', import.meta.url))

/** Well-known ports tried first; taken ones are replaced by free ports with a warning. */
export const DEFAULT_MQTT_PORT = 1883
export const DEFAULT_HTTP_PORT = 8080

/** Reads and validates the hub's environment once; throws `GW_ERR_CONFIG_INVALID` naming each bad variable. */
export function loadHubConfig (env: NodeJS.ProcessEnv, cwd = process.cwd()): Readonly<HubConfig> {
  const r = HubEnvSchema.safeParse(env)
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new GangwanError('GW_ERR_CONFIG_INVALID', `invalid hub environment:\n  ${lines.join('\n  ')}`)
  }
  const e = r.data
  return Object.freeze({
    dataDir: resolve(cwd, e.GANGWAN_DATA_DIR),
    communityFile: resolve(cwd, e.GANGWAN_COMMUNITY),
    mqtt: Object.freeze({ host: e.GANGWAN_MQTT_HOST, port: e.GANGWAN_MQTT_PORT ?? DEFAULT_MQTT_PORT, portExplicit: e.GANGWAN_MQTT_PORT !== undefined, maxPayloadBytes: e.GANGWAN_MAX_PAYLOAD_BYTES }),
    http: Object.freeze({ host: e.GANGWAN_HTTP_HOST, port: e.GANGWAN_HTTP_PORT ?? DEFAULT_HTTP_PORT, portExplicit: e.GANGWAN_HTTP_PORT !== undefined }),
    influxUrl: e.GANGWAN_INFLUX_URL?.replace(/\/$/, ''),
    influxDb: e.GANGWAN_INFLUX_DB,
    influxUsername: e.GANGWAN_INFLUX_USERNAME,
    influxPassword: e.GANGWAN_INFLUX_PASSWORD,
    journalSync: e.GANGWAN_JOURNAL_SYNC,
    logLevel: e.GANGWAN_LOG_LEVEL,
    failpoint: e.GANGWAN_FAILPOINT,
    modelsDir: e.GANGWAN_MODELS === 'off' ? undefined : resolve(cwd, e.GANGWAN_MODELS_DIR ?? DEFAULT_MODELS_DIR),
    analyticsReplayMs: e.GANGWAN_ANALYTICS_REPLAY_S * 1000
  })
}
