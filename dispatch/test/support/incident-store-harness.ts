// The shared harness of the incident store contract: opening stores, building incidents and
// taking snapshots. Nothing here knows which database is underneath.
import { afterEach } from 'vitest'
import type { Alert, Incident } from '@gangwan/contracts'
import type { AlertPlan, IncidentStore } from '../../src/index.ts'
import { makeAlert } from './make-alert.ts'
import { createPlan } from './make-incident.ts'

/** One empty store; `reopen` opens another store over the same data (with or without closing the first). */
export interface OpenedIncidentStore {
  store: IncidentStore
  reopen?: () => Promise<IncidentStore>
  /** Removes the data; called after every store of the test is closed. */
  cleanup: () => Promise<void>
}

/** What the contract's tests use to open stores and fill them. */
export interface ContractHarness {
  /** A new empty store, closed and cleaned up after the test. */
  fresh: () => Promise<IncidentStore>
  /** How to open another store over the data of `store`, when the implementation can. */
  reopener: (store: IncidentStore) => (() => Promise<IncidentStore>) | undefined
  /** Two stores over the same data (two connections when the implementation can reopen). */
  pair: () => Promise<[IncidentStore, IncidentStore]>
  /** A fire alert of its own subject, so every call makes a new key. */
  alertOf: (fields?: Partial<Alert>) => Alert
  /** Creates one incident (its own alert; scope `own|<subject>` unless given); resolves with it as stored. */
  add: (store: IncidentStore, overrides?: Partial<Incident>, scopeKeys?: string[]) => Promise<Incident>
  /** Everything a store holds that a failed change must leave as it was. */
  snapshot: (store: IncidentStore) => Promise<unknown>
}

/** A decide that relinks whatever it is given. */
export const relink = (): AlertPlan => ({ type: 'relink' })
/** Deadlines far in the past and the future of the real clock, for `stats().overdue`. */
export const PAST = 1_000_000_000_000
export const FUTURE = 4_000_000_000_000
/** The number in an incident id. */
export const idNumber = (id: string): number => Number(id.slice(4))

/**
 * Registers the closing of every store a test opened (call it inside a describe) and returns the harness.
 *
 * @example const h = contractHarness(open); test('…', async () => { const store = await h.fresh() })
 */
export function contractHarness (open: () => Promise<OpenedIncidentStore>): ContractHarness {
  let stores: IncidentStore[] = []
  let cleanups: Array<() => Promise<void>> = []
  let subjects = 0
  const reopeners = new WeakMap<IncidentStore, () => Promise<IncidentStore>>()
  afterEach(async () => {
    await Promise.all(stores.map(async (s) => { await s.close() }))
    for (const c of cleanups) await c()
    stores = []
    cleanups = []
  })

  async function fresh (): Promise<IncidentStore> {
    const opened = await open()
    stores.push(opened.store)
    cleanups.push(opened.cleanup)
    const reopen = opened.reopen
    if (reopen !== undefined) reopeners.set(opened.store, async () => { const s = await reopen(); stores.push(s); return s })
    return opened.store
  }
  const alertOf = (fields: Partial<Alert> = {}): Alert => makeAlert({ subject: `B03-F12-S${String(++subjects).padStart(3, '0')}`, ...fields })

  return {
    fresh,
    reopener: (store) => reopeners.get(store),
    async pair () {
      const a = await fresh()
      const reopen = reopeners.get(a)
      return [a, reopen === undefined ? a : await reopen()]
    },
    alertOf,
    async add (store, overrides = {}, scopeKeys) {
      const alert = alertOf()
      const keys = scopeKeys ?? [`own|${alert.subject}`]
      const stored = await store.applyAlert(alert, keys, () => createPlan(alert, overrides, keys))
      return stored!.incident
    },
    async snapshot (store) {
      const incidents = await store.all()
      return {
        incidents,
        changes: await store.changesSince(0, 10_000),
        alerts: await Promise.all(incidents.map(async (i) => await store.alerts(i.id))),
        stats: await store.stats()
      }
    }
  }
}
