import type { WorkerState } from './worker/protocol.ts'

/** What `Ingest.status` reports, for health checks. Times are epoch ms on the ingest clock (`deps.now`). */
export interface IngestStatus {
  /** `running` accepts messages; `failed`: the worker died too often and every message is refused. */
  state: 'new' | 'running' | 'stopped' | 'failed'
  /** Journal rows not yet confirmed by InfluxDB. */
  pending: number
  /** Age of the oldest of them (0 when none), ms: the InfluxDB write lag. */
  lagMs: number
  /** First failed InfluxDB request since the last successful one; undefined while requests succeed. */
  influxFailingSince: number | undefined
  /** Latest successful InfluxDB request; undefined before the first. */
  influxLastOkAt: number | undefined
}

/**
 * The status as of the worker's latest report (it reports after each commit, within 100 ms of
 * writer activity, and when its contact with InfluxDB changes). Reads only; computes the lag the
 * way `gangwan_influx_write_lag_seconds` does.
 *
 * @example ingestStatus('running', latest, Date.now()).lagMs
 */
export function ingestStatus (state: IngestStatus['state'], latest: Omit<WorkerState, 'delta'>, now: number): IngestStatus {
  const oldest = latest.oldestReceivedAt
  return {
    state,
    pending: latest.pending,
    lagMs: oldest === undefined ? 0 : Math.max(0, now - oldest),
    influxFailingSince: latest.influx.failingSince,
    influxLastOkAt: latest.influx.lastOkAt
  }
}
