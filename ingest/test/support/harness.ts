import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import { Registry } from 'prom-client'
import { createIngest, ingestConfig, queryInflux, type Ingest, type IngestConfigInput, type InfluxRow } from '../../src/index.ts'
import { testCommunity } from './community.ts'
import { eventually } from '../../../test-support/eventually.ts'

/** A database name unique to this test file and run. */
export function uniqueDb (prefix: string): string {
  return `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e9).toString(36)}`
}

/** A temporary folder, removed by the returned cleanup. */
export async function tempDir (prefix: string): Promise<string> {
  return await mkdtemp(join(tmpdir(), `gangwan-ingest-${prefix}-`))
}

/** An ingest on the test community with its own registry, silent unless a logger is given. */
export interface TestIngest {
  ingest: Ingest
  registry: Registry
  metrics: () => Promise<string>
}

export function makeIngest (config: IngestConfigInput, log: Logger = pino({ level: 'silent' })): TestIngest {
  const registry = new Registry()
  const ingest = createIngest(ingestConfig(config), { log, metrics: registry, community: testCommunity() })
  return { ingest, registry, metrics: async () => await registry.metrics() }
}

/** Value of one sample in Prometheus text; undefined when absent. */
export { metricValue as metric } from '../../../test-support/metrics-text.ts'

/** Polls `probe` until it returns something other than undefined/false, failing after `timeoutMs`. */
export async function until<T> (probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  return await eventually(probe, timeoutMs, what)
}

/** InfluxQL against the test run's influxd. */
export function querier (url: string, db: string): (q: string) => Promise<InfluxRow[]> {
  return async (q) => await queryInflux(url, db, q)
}

export async function removeDir (dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}
