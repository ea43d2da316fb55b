import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import type { TestProject } from 'vitest/node'
import { createLocalInfluxd } from '../ingest/src/influx/local-influxd.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the real influxd this test run shares; each test file uses its own database. */
    influxUrl: string
  }
}

/** Starts one real influxd for the whole test run on a free port with a temporary data folder. */
export default async function setup (project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gangwan-influxd-'))
  const influxd = createLocalInfluxd({ dataDir, log: pino({ level: 'silent' }), restart: false })
  await influxd.start()
  project.provide('influxUrl', influxd.url)
  return async () => {
    await influxd.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
