import type { Alert, AlertCategory, AuditEntry, Incident, IncidentStatus, Severity } from '@gangwan/contracts'

/** An audit entry before the store numbers it: `seq` is assigned, `incidentId` filled in on create. */
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'incidentId'>

/** One alert merged into an incident, at its newest stored version, with why it was merged. */
export interface LinkedAlert {
  incidentId: string
  alert: Alert
  /** Merge rule that linked it (`new` for the alert that opened the incident). */
  mergeRule: string
  reason: string
  /** Hub wall clock when it was first linked. */
  linkedAt: number
}

/**
 * What applying one alert finds, prefetched inside the store's transaction: the incident the
 * alert's key is already linked to with the linked version, and the open (not closed, not false
 * alarm) incidents that share any of the requested scope keys.
 */
export interface AlertContext {
  linked?: { incident: Incident; alert: Alert }
  candidates: Incident[]
}

/**
 * What to do with one alert, decided by pure domain code from an {@link AlertContext}:
 * - `ignore`: nothing changes (an older or equal version, or an alert that opens nothing);
 * - `create`: a new incident; the store assigns `incident.id` (the given one is ignored) and fills
 *   `incidentId` of the audit entries;
 * - `update`: the incident changes (`incident.version` must be the stored version + 1), and the alert
 *   is linked to it (or its link refreshed to this version).
 * - `relink`: a newer version of an already linked alert that changes nothing the incident shows
 *   (a repeat, a clear): only the link's stored alert is refreshed, without an audit entry.
 * `scopeKeys` are added to the incident's scope index (see {@link IncidentStore.applyAlert}).
 * When the alert is already linked, the link keeps its first `mergeRule` and reason.
 */
export type AlertPlan =
  | { type: 'ignore' }
  | { type: 'relink' }
  | { type: 'create'; incident: Incident; link: { mergeRule: string; reason: string }; scopeKeys: string[]; audit: NewAuditEntry[] }
  | { type: 'update'; incident: Incident; link: { mergeRule: string; reason: string }; scopeKeys: string[]; audit: NewAuditEntry[] }

/** The result of a change: the incident as stored and its audit entries with their `seq`. */
export interface StoredChange { incident: Incident; audit: AuditEntry[] }

/** A change to make to one incident, computed by pure domain code from its stored state. */
export interface Mutation { incident: Incident; audit: NewAuditEntry[] }

/** Filters and order for {@link IncidentStore.list}. Absent filters match everything. */
export interface IncidentQuery {
  status?: IncidentStatus[]
  /** true: only incidents not closed and not false alarm; false: only those. */
  open?: boolean
  category?: AlertCategory[]
  severity?: Severity[]
  grid?: string[]
  department?: string[]
  handler?: string
  building?: string
  /** `createdAt` range, epoch ms, from inclusive, to exclusive. */
  createdFrom?: number
  createdTo?: number
  /**
   * Default `createdAt`; `severity` sorts P1 first when ascending; `dueAt` puts incidents without a
   * deadline last. `queue` is the operator's queue order: severity (P1 first), then the running
   * deadline (none last), then creation time, then creation order; `desc` reverses it whole.
   */
  sort?: 'createdAt' | 'updatedAt' | 'severity' | 'dueAt' | 'queue'
  order?: 'asc' | 'desc'
  /** 1–1000, default 100. */
  limit?: number
  offset?: number
}

/** Counts for `/metrics` (`gangwan_dispatch_incidents{status}` …). */
export interface IncidentStoreStats {
  byStatus: Record<IncidentStatus, number>
  /** Open incidents whose deadline has passed and is not yet escalated. */
  overdue: number
  lastSeq: number
}

/**
 * Durable incident store. Pure domain code decides every change; the store makes each decision
 * atomic and durable: a change is one transaction, its audit entries are numbered with a `seq`
 * that grows strictly across all incidents (the live stream's cursor) and committed with it.
 * Every implementation (SQLite `createSqliteIncidentStore`, PostgreSQL `createPostgresIncidentStore`)
 * passes `dispatch/test/support/incident-store-contract.ts`.
 *
 * Errors reject with `GangwanError`: `GW_ERR_DISPATCH_NOT_FOUND`, `GW_ERR_DISPATCH_STALE`, whatever
 * the domain function threw (rolled back, rethrown as is), `GW_ERR_DISPATCH_STORE_UNAVAILABLE` after
 * `close()` or when the database cannot be reached.
 *
 * @example
 * const store = createSqliteIncidentStore({ path: 'dispatch.db', log })
 * const changed = await store.update('INC-000001', (i) => accept(i, actor, now), { expectedVersion: 3 })
 */
export interface IncidentStore {
  /**
   * Applies one alert in one transaction, serialized with every other `applyAlert` on the same
   * database (also across processes), so two alerts of one fire never open two incidents:
   * prefetches the {@link AlertContext} (the incident linked to `alert.key`, and open incidents
   * indexed under any of `scopeKeys`), calls `decide` (synchronous, pure), and stores its plan.
   * Resolves with the stored change, or undefined for `ignore`.
   */
  applyAlert: (alert: Alert, scopeKeys: readonly string[], decide: (ctx: AlertContext) => AlertPlan) => Promise<StoredChange | undefined>
  /**
   * Changes one incident in one transaction with the row locked: reads it (`GW_ERR_DISPATCH_NOT_FOUND`),
   * checks `expectedVersion` when given (`GW_ERR_DISPATCH_STALE`), calls `mutate` (synchronous, pure;
   * a throw rolls back and is rethrown), and stores the result, whose `version` must be the stored one + 1.
   * Of two concurrent updates of one incident, each sees the other's result or fails: never a lost update.
   */
  update: (id: string, mutate: (incident: Incident) => Mutation, opts?: { expectedVersion?: number }) => Promise<StoredChange>
  get: (id: string) => Promise<Incident | undefined>
  /** One page of incidents matching the query and how many match in all. */
  list: (query?: IncidentQuery) => Promise<{ items: Incident[]; total: number }>
  /** Every incident matching the query's filters (no paging), e.g. for metrics over a year. */
  all: (query?: Omit<IncidentQuery, 'limit' | 'offset' | 'sort' | 'order'>) => Promise<Incident[]>
  /** The incident's audit entries in `seq` order. */
  timeline: (id: string) => Promise<AuditEntry[]>
  /** Alerts linked to the incident, in link order. */
  alerts: (id: string) => Promise<LinkedAlert[]>
  /** Audit entries with `seq` greater than `afterSeq`, in order, each with its incident as it is now. */
  changesSince: (afterSeq: number, limit: number) => Promise<Array<{ entry: AuditEntry; incident: Incident }>>
  /** Open incidents whose `deadline.dueAt` ≤ `now`, earliest first. */
  due: (now: number, limit: number) => Promise<Incident[]>
  /** The earliest `deadline.dueAt` of an open incident, or undefined. */
  nextDueAt: () => Promise<number | undefined>
  /** Open incidents per handler of a department (handlers without any are absent). */
  openByHandler: (department: string) => Promise<Record<string, number>>
  stats: () => Promise<IncidentStoreStats>
  /** Releases the store; later calls reject with `GW_ERR_DISPATCH_STORE_UNAVAILABLE`. Idempotent. */
  close: () => Promise<void>
}
