import { setTimeout as sleep } from 'node:timers/promises'
import type { Analytics } from '@gangwan/analytics'
import type { Community } from '@gangwan/contracts'
import { readRecentTelemetry, type Ingest } from '@gangwan/ingest'
import type { Logger } from 'pino'

/** How long start-up waits for the journal to reach InfluxDB before it replays what is there. */
const DRAIN_WAIT_MS = 30_000

/**
 * At start, before the broker accepts anything: waits (bounded) until the ingest journal a previous
 * run left is in InfluxDB, then replays the last `lookbackMs` of stored telemetry into analytics.
 * Windows are rebuilt, and an alert a crash kept from the dispatch queue is derived again with the
 * same key (the queue ignores what it already has). InfluxDB unreachable: logged, start goes on.
 *
 * @example await replayIntoAnalytics({ ingest, analytics, community, log, lookbackMs: 900_000, influx })
 */
export async function replayIntoAnalytics (o: {
  ingest: Ingest
  analytics: Analytics
  community: Community
  log: Logger
  lookbackMs: number
  influx: { url: string, database: string, username: string | undefined, password: string | undefined }
}): Promise<void> {
  if (o.lookbackMs <= 0) return
  const t0 = Date.now()
  const drained = await Promise.race([o.ingest.drained().then(() => true), sleep(DRAIN_WAIT_MS, false)])
  try {
    const { telemetry, skipped, latestMs } = await readRecentTelemetry({ ...o.influx, community: o.community, lookbackMs: o.lookbackMs })
    const receivedAt = Date.now()
    for (const t of telemetry) o.analytics.replay({ type: 'telemetry', device: t.device, gateway: t.gateway, msg: t.msg, receivedAt })
    await o.analytics.flush()
    o.log.info({ replayed: telemetry.length, skipped, latestMs, journalDrained: drained, ms: Date.now() - t0 }, 'analytics replayed recent telemetry')
  } catch (err) {
    o.log.warn({ code: 'GW_ERR_ANALYTICS_WARMUP_FAILED', err: (err as Error).message }, 'analytics could not replay recent telemetry; starting with empty windows')
  }
}
