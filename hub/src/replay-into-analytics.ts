import type { Observation } from '@gangwan/analytics'
import type { Community } from '@gangwan/contracts'
import { readRecentTelemetry } from '@gangwan/ingest'
import type { Logger } from 'pino'

/**
 * In the analytics worker, before it reads live messages (at the hub's start, before the broker
 * accepts anything, and again whenever the worker is restarted): replays the last `lookbackMs`
 * of telemetry stored in InfluxDB (the main thread first waited, bounded, for the journal to
 * reach it: `journalDrained`). Windows are rebuilt, and an alert a crash kept from the dispatch
 * queue is derived again with the same key (the queue ignores what it already has). InfluxDB
 * unreachable: logged, start goes on.
 *
 * @example await replayIntoAnalytics({ replay: analytics.replay, flush: analytics.flush, community, log, lookbackMs: 900_000, influx, journalDrained: true })
 */
export async function replayIntoAnalytics (o: {
  replay: (obs: Extract<Observation, { type: 'telemetry' }>) => void
  flush: () => Promise<void>
  community: Community
  log: Logger
  lookbackMs: number
  influx: { url: string, database: string, username: string | undefined, password: string | undefined }
  journalDrained: boolean
}): Promise<void> {
  if (o.lookbackMs <= 0) return
  const t0 = Date.now()
  try {
    const { telemetry, skipped, latestMs } = await readRecentTelemetry({ ...o.influx, community: o.community, lookbackMs: o.lookbackMs })
    const receivedAt = Date.now()
    for (const t of telemetry) o.replay({ type: 'telemetry', device: t.device, gateway: t.gateway, msg: t.msg, receivedAt })
    await o.flush()
    o.log.info({ replayed: telemetry.length, skipped, latestMs, journalDrained: o.journalDrained, ms: Date.now() - t0 }, 'analytics replayed recent telemetry')
  } catch (err) {
    o.log.warn({ code: 'GW_ERR_ANALYTICS_WARMUP_FAILED', err: (err as Error).message }, 'analytics could not replay recent telemetry; starting with empty windows')
  }
}
