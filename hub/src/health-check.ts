import type { Registry } from 'prom-client'
import type { IngestStatus } from '@gangwan/ingest'

/** One part's verdict; `reason` says why when `ok` is false. */
export interface Check { ok: boolean; reason?: string; [detail: string]: unknown }

/** The body of `/healthz`: `ok` is false (HTTP 503) as soon as one check fails. */
export interface HubHealth {
  ok: boolean
  checks: { broker: Check; influx: Check; journal: Check; analytics: Check }
  /** Kept at the top level for readers of the earlier body (bench/alerts.ts); same as `checks.broker.clients`. */
  mqttClients: number
}

/** When a check fails (HubConfig `health`). */
export interface HealthLimits {
  /** InfluxDB requests failing for longer than this (ms) fail the influx check. */
  influxDownMs: number
  /** More journal rows than this waiting for InfluxDB fail the journal check. */
  maxJournalPending: number
}

/** Where the checks read from; `undefined` while a part is not started. */
export interface HealthSources {
  broker: () => { listening: boolean; connectedClients: number } | undefined
  ingest: () => IngestStatus | undefined
  analytics: () => Promise<Check>
  now: () => number
}

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`

function brokerCheck (b: ReturnType<HealthSources['broker']>): Check {
  if (b === undefined) return { ok: false, listening: false, clients: 0, reason: 'the MQTT broker is not started' }
  const check: Check = { ok: b.listening, listening: b.listening, clients: b.connectedClients }
  if (!b.listening) check.reason = 'the MQTT broker is not accepting connections'
  return check
}

function influxCheck (s: IngestStatus | undefined, limits: HealthLimits, now: number): Check {
  if (s === undefined) return { ok: false, lagMs: 0, reason: 'ingest is not started' }
  const failingMs = s.influxFailingSince === undefined ? 0 : Math.max(0, now - s.influxFailingSince)
  const check: Check = {
    ok: failingMs <= limits.influxDownMs,
    lagMs: s.lagMs,
    failingForMs: failingMs,
    lastWriteOkAt: s.influxLastOkAt === undefined ? null : new Date(s.influxLastOkAt).toISOString()
  }
  if (!check.ok) check.reason = `InfluxDB requests have failed for ${seconds(failingMs)} (limit ${seconds(limits.influxDownMs)}); data waits in the journal`
  return check
}

function journalCheck (s: IngestStatus | undefined, limits: HealthLimits): Check {
  if (s === undefined) return { ok: false, pending: 0, reason: 'ingest is not started' }
  const check: Check = { ok: true, pending: s.pending, limit: limits.maxJournalPending, state: s.state }
  if (s.state !== 'running') {
    check.ok = false
    check.reason = s.state === 'failed' ? 'the ingest worker keeps dying; every message is refused' : `ingest is ${s.state}`
  } else if (s.pending > limits.maxJournalPending) {
    check.ok = false
    check.reason = `${s.pending} journal rows wait for InfluxDB (limit ${limits.maxJournalPending})`
  }
  return check
}

/**
 * Builds the `/healthz` verdict from the running parts (DESIGN decision 10): the broker listening,
 * InfluxDB reachable (as the ingest writer last saw it), the journal backlog under its limit and
 * ingest running, the analytics worker alive. Reads state only; never probes.
 *
 * @example const health = createHealthCheck(config.health, { broker: () => broker, ingest: () => ingest?.status, analytics: watch.check, now: Date.now })
 */
export function createHealthCheck (limits: HealthLimits, src: HealthSources): () => Promise<HubHealth> {
  return async () => {
    const ingest = src.ingest()
    const now = src.now()
    const broker = brokerCheck(src.broker())
    const checks = { broker, influx: influxCheck(ingest, limits, now), journal: journalCheck(ingest, limits), analytics: await src.analytics() }
    return { ok: Object.values(checks).every((c) => c.ok), checks, mqttClients: Number(broker.clients ?? 0) }
  }
}

/** Tracks the analytics worker's life for {@link createHealthCheck}. */
export interface AnalyticsWatch {
  /** Call when a worker (the first or a restarted one) is ready and gets its sources (`prepare`). */
  booted: () => void
  /** Call when the thread gives up restarting (`onGiveUp`). */
  gaveUp: () => void
  check: () => Promise<Check>
}

/** The analytics thread's death counter; it is the thread's only public signal of a death. */
const DEATHS = 'gangwan_analytics_worker_deaths_total'

/**
 * Derives the analytics worker's state from its supervision hooks and its death counter: each
 * worker calls `prepare` once when ready (booted) and each death increments the counter, so more
 * deaths than boots after the first means a worker is being restarted.
 */
export function createAnalyticsWatch (metrics: Registry): AnalyticsWatch {
  let boots = 0
  let dead = false
  return {
    booted () { boots++ },
    gaveUp () { dead = true },
    async check () {
      const metric = metrics.getSingleMetric(DEATHS)
      const deaths = metric === undefined ? 0 : ((await metric.get()).values[0]?.value ?? 0)
      if (dead) return { ok: false, state: 'dead', deaths, reason: 'the analytics worker died too often and is not restarted; no alerts are raised until the hub restarts' }
      if (boots === 0) return { ok: false, state: 'starting', deaths, reason: 'the analytics worker is starting' }
      if (deaths >= boots) return { ok: false, state: 'restarting', deaths, reason: 'the analytics worker died and is being restarted' }
      return { ok: true, state: 'running', deaths }
    }
  }
}
