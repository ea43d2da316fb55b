import type { Alert, AlertCategory, AlertSink } from '@gangwan/contracts'

/**
 * What one stored change did to an alert, read off the state before and after it:
 * `opened` — the key became open (new, or a cleared episode reopened); `cleared` — the key became
 * cleared (including a key first seen already cleared: an episode that opened and cleared between
 * two puts); `updated` — a newer version that left the state as it was.
 */
export type AlertChangeType = 'opened' | 'updated' | 'cleared'

/** One row of the ordered change log. `id` grows strictly and is never reused. */
export interface AlertChange {
  id: number
  type: AlertChangeType
  /** Hub wall clock (epoch ms) when the change was stored. */
  at: number
  /** The alert as stored by this change (the version that caused it). */
  alert: Alert
}

/** Filters for {@link AlertQueue.list}; results are in `key` order. */
export interface AlertListQuery {
  state?: Alert['state']
  category?: AlertCategory
  /** Most alerts to return: 1–1000, default 100. */
  limit?: number
  /** Keyset pagination: only keys after this one (pass the last key of the previous page). */
  afterKey?: string
}

/** Counts for metrics (`gangwan_dispatch_*`). */
export interface AlertQueueStats {
  alerts: { open: number, cleared: number }
  /** Change rows in the log (nothing prunes it yet). */
  changes: number
  /** Id of the newest change, 0 when none; a consumer's lag is `lastChangeId - consumers[name]`. */
  lastChangeId: number
  /** Distinct (key, version) pairs refused as a second open episode of a (ruleId, subject). */
  refusedDuplicates: number
  /** Committed cursor (last acknowledged change id) per consumer that ever acked. */
  consumers: Record<string, number>
}

/**
 * The durable alert queue between analytics (the producer, through {@link AlertSink}) and the
 * incident workflow (consumers with committed cursors over the change log). Every method is
 * asynchronous so that a networked store (PostgreSQL) implements the same interface; every
 * implementation must pass `dispatch/test/support/alert-queue-contract.ts`.
 *
 * Guarantees: `put` resolves only once its changes are durable; one `put` is one transaction;
 * a key keeps its highest version; at most one alert per (ruleId, subject) is open; a consumer
 * sees every change once it reads past its cursor, in id order (at least once: it acks after acting).
 * A bad argument (a limit, id or consumer name out of range) rejects with a RangeError.
 *
 * @example
 * const queue: AlertQueue = createAlertQueue({ path: 'dispatch.db', log })
 * await queue.put([alert])
 * const batch = await queue.read('incidents', 100)
 * for (const change of batch) await handle(change)
 * if (batch.length > 0) await queue.ack('incidents', batch.at(-1)!.id)
 */
export interface AlertQueue extends AlertSink {
  /**
   * Validates every alert (all or nothing: one invalid → `GW_ERR_QUEUE_INVALID_ALERT` and nothing
   * stored), then upserts them by key in one transaction, in the order given. An alert whose key
   * holds the same or a newer version changes nothing; an open alert whose (ruleId, subject) is
   * already open under another key is refused (counted in `stats().refusedDuplicates`, logged).
   */
  put: (alerts: readonly Alert[]) => Promise<void>
  /** All alerts whose state is `open`, in key order. */
  open: () => Promise<Alert[]>
  /** The stored version of one alert, or undefined. */
  get: (key: string) => Promise<Alert | undefined>
  /** Stored alerts matching the query, in key order. */
  list: (query?: AlertListQuery) => Promise<Alert[]>
  /** Up to `limit` changes after the consumer's committed cursor (from the start if it never acked). */
  read: (consumer: string, limit: number) => Promise<AlertChange[]>
  /**
   * Commits the consumer's cursor to `uptoId`, durable on return: monotonic (backwards is a no-op) and
   * clamped to the newest change, so acking ahead of the log cannot skip changes not yet written.
   */
  ack: (consumer: string, uptoId: number) => Promise<void>
  /** Up to `limit` changes with id greater than `id`, for readers that keep their own position. */
  changesSince: (id: number, limit: number) => Promise<AlertChange[]>
  /** Counts for metrics, taken from one snapshot. */
  stats: () => Promise<AlertQueueStats>
  /** Releases the store; later calls reject with `GW_ERR_QUEUE_UNAVAILABLE`. Idempotent. */
  close: () => Promise<void>
}
