import { z } from 'zod'
import { GangwanError, formatIssues } from '@gangwan/contracts'

/**
 * Ingest options, validated once, defaulted, then frozen (STYLE: options validated once).
 *
 * - `journalSync`: SQLite `PRAGMA synchronous` in WAL mode. `full` fsyncs the WAL on every group
 *   commit, so an acknowledged message survives power loss; `normal` only survives a process kill
 *   (the WAL is fsynced at checkpoints). See README "fsync policy" for the measured cost.
 * - `influx.version`: 1, the v1 HTTP API (`/write`, `/query`) that Debian's influxdb 1.6 speaks.
 * - `batchSize`: most points per InfluxDB write; `flushIntervalMs`: the writer wakes at least this often.
 * - `retry`: back-off bounds (with jitter) while InfluxDB is down.
 */
export const IngestConfigSchema = z.object({
  journalPath: z.string().min(1),
  journalSync: z.enum(['full', 'normal']).default('full'),
  influx: z.object({
    url: z.string().url().transform((u) => u.replace(/\/+$/, '')),
    database: z.string().min(1).max(200),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    version: z.literal(1).default(1)
  }).strict(),
  batchSize: z.number().int().min(1).max(100_000).default(5000),
  flushIntervalMs: z.number().int().min(1).max(60_000).default(100),
  retry: z.object({
    minDelayMs: z.number().int().min(1).default(200),
    maxDelayMs: z.number().int().min(1).default(5000)
  }).strict().default({ minDelayMs: 200, maxDelayMs: 5000 })
}).strict().refine((c) => c.retry.minDelayMs <= c.retry.maxDelayMs, {
  message: 'retry.minDelayMs must not exceed retry.maxDelayMs', path: ['retry', 'minDelayMs']
})

/** Validated ingest configuration. */
export type IngestConfig = z.infer<typeof IngestConfigSchema>
/** Ingest configuration as written, before defaults. */
export type IngestConfigInput = z.input<typeof IngestConfigSchema>

/**
 * Validates, defaults and freezes an ingest configuration; throws `GW_ERR_CONFIG_INVALID` naming
 * every bad field.
 *
 * @example
 * ingestConfig({ journalPath: '/var/lib/gangwan/ingest-journal.db',
 *   influx: { url: 'http://127.0.0.1:8086', database: 'gangwan' } })
 */
export function ingestConfig (input: IngestConfigInput): Readonly<IngestConfig> {
  const r = IngestConfigSchema.safeParse(input)
  if (!r.success) throw new GangwanError('GW_ERR_CONFIG_INVALID', `ingest config: ${formatIssues(r.error).join('; ')}`)
  const c = r.data
  Object.freeze(c.influx)
  Object.freeze(c.retry)
  return Object.freeze(c)
}
