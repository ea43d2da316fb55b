import { setTimeout as sleep } from 'node:timers/promises'
import type { Alert, AlertSink } from '@gangwan/contracts'
import type { Logger } from 'pino'
import type { AnalyticsMetrics } from './analytics-metrics.ts'

const MIN_RETRY_MS = 50
const MAX_RETRY_MS = 5000

/** Puts alert versions into the queue in order, one `put` at a time. */
export interface AlertWriter {
  /** Queues alerts detected from an observation that arrived at wall time `cause` (epoch ms). */
  push: (alerts: readonly Alert[], cause: number) => void
  /** Resolves once everything pushed so far is in the queue. */
  flush: () => Promise<void>
  onAlert: (listener: (alert: Alert) => void) => () => void
}

/**
 * Hands alert versions to the queue in the order they were detected, batching what accumulates
 * while one `put` is in flight. A failed put is retried with back-off (doubling, 50 ms to 5 s)
 * until it succeeds: the batch stays at the head, so nothing is lost or reordered while the
 * process lives; after a crash the replay at start re-derives it (the queue ignores versions it has).
 *
 * @example const w = createAlertWriter({ sink, log, now: Date.now, metrics }); w.push(alerts, obs.receivedAt)
 */
export function createAlertWriter (deps: { sink: AlertSink, log: Logger, now: () => number, metrics: AnalyticsMetrics }): AlertWriter {
  const { sink, log, now, metrics } = deps
  let queue: { alert: Alert, cause: number }[] = []
  let running: Promise<void> | undefined
  const listeners = new Set<(alert: Alert) => void>()

  async function run (): Promise<void> {
    let delay = MIN_RETRY_MS
    while (queue.length > 0) {
      const batch = queue
      queue = []
      for (;;) {
        try {
          await sink.put(batch.map((b) => b.alert))
          break
        } catch (err) {
          metrics.putFailed()
          log.error({ err, alerts: batch.length, retryInMs: delay }, 'dispatch queue put failed; retrying')
          await sleep(delay)
          delay = Math.min(delay * 2, MAX_RETRY_MS)
        }
      }
      delay = MIN_RETRY_MS
      const t = now()
      for (const { alert, cause } of batch) {
        metrics.stored(alert, (t - cause) / 1000)
        if (alert.version === 1) log.info({ key: alert.key, ruleId: alert.ruleId, subject: alert.subject, severity: alert.severity }, 'alert raised')
        for (const l of listeners) {
          try { l(alert) } catch (err) { log.error({ err }, 'alert listener threw') }
        }
      }
    }
    metrics.depth(0)
  }

  return {
    push (alerts, cause) {
      for (const alert of alerts) queue.push({ alert, cause })
      metrics.depth(queue.length)
      running ??= run().finally(() => { running = undefined })
    },
    async flush () {
      while (running !== undefined) await running
    },
    onAlert (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    }
  }
}
