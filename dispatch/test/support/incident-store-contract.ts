// The contract every IncidentStore implementation passes (aedes-persistence's abstract.js habit): a
// runner file calls incidentStoreContract() with a function that opens an empty store. Nothing here
// knows which database is underneath; the decide and mutate functions are written by hand
// (support/make-incident.ts) so that no domain logic is needed.
//
// Where the interface leaves an order open, the contract fixes it so that implementations agree:
// list's default order is ascending; equal sort keys, `all`, `candidates` and `due` ties go in
// creation order (in list, in the direction of `order`); an alert key is linked to at most one
// incident: a later create or update linking it moves the link.
import { describe, expect, test } from 'vitest'
import type { IncidentStore } from '../../src/index.ts'
import { T0 } from './make-alert.ts'
import { change, createOrMerge, zoneKey } from './make-incident.ts'
import { applyAlertContract } from './incident-store-contract-apply.ts'
import { readsContract } from './incident-store-contract-reads.ts'
import { updateContract } from './incident-store-contract-update.ts'
import { contractHarness, idNumber, type OpenedIncidentStore } from './incident-store-harness.ts'

export type { OpenedIncidentStore } from './incident-store-harness.ts'

/**
 * Registers the incident store contract tests for one implementation.
 *
 * @example incidentStoreContract('SQLite', async () => { const path = tempFile(); return { store: createSqliteIncidentStore({ path, log }), reopen: async () => createSqliteIncidentStore({ path, log }), cleanup: async () => { await rm(path) } } })
 */
export function incidentStoreContract (name: string, open: () => Promise<OpenedIncidentStore>): void {
  describe(`${name} incident store contract`, () => {
    const h = contractHarness(open)
    const { fresh, alertOf, add } = h
    applyAlertContract(h)
    updateContract(h)
    readsContract(h)

    test('everything survives close and reopen, and ids and seqs go on', async (ctx) => {
      const store = await fresh()
      const reopen = h.reopener(store)
      if (reopen === undefined) { ctx.skip(); return }
      const a = alertOf()
      const x = (await store.applyAlert(a, [zoneKey(a)], createOrMerge(a)))!.incident
      const b = alertOf()
      await store.applyAlert(b, [zoneKey(b)], createOrMerge(b))
      await store.update(x.id, (i) => change(i, { status: 'accepted', deadline: { step: 'arrive', dueAt: T0 + 1000, tier: 0 } }, 'accept'))
      const y = await add(store, { department: 'lift-co', handler: 'h-zhao' })
      const reads = async (s: IncidentStore): Promise<unknown[]> => [await s.list(), await s.all(), await s.timeline(x.id), await s.alerts(x.id),
        await s.changesSince(0, 100), await s.due(T0 + 1000, 10), await s.nextDueAt(), await s.openByHandler('lift-co'), await s.stats()]
      const before = await reads(store)
      await store.close()
      const again = await reopen()
      expect(await reads(again)).toEqual(before)
      const { lastSeq } = await again.stats()
      const z = await add(again)
      expect(idNumber(z.id)).toBeGreaterThan(idNumber(y.id))
      expect((await again.timeline(z.id))[0]!.seq).toBeGreaterThan(lastSeq)
    })

    test.each<[string, (s: IncidentStore) => Promise<unknown>]>([
      ['list with limit 0', async (s) => await s.list({ limit: 0 })],
      ['list with limit 1001', async (s) => await s.list({ limit: 1001 })],
      ['list with a fractional limit', async (s) => await s.list({ limit: 2.5 })],
      ['list with offset -1', async (s) => await s.list({ offset: -1 })],
      ['list with an unknown sort', async (s) => await s.list({ sort: 'title' as 'createdAt' })],
      ['list with an unknown order', async (s) => await s.list({ order: 'up' as 'asc' })],
      ['changesSince a negative seq', async (s) => await s.changesSince(-1, 10)],
      ['changesSince with limit 0', async (s) => await s.changesSince(0, 0)],
      ['due with limit 0', async (s) => await s.due(T0, 0)],
      ['due at a fractional time', async (s) => await s.due(0.5, 10)],
      ['update expecting version 0', async (s) => await s.update('INC-000001', (i) => change(i, {}), { expectedVersion: 0 })],
      ['applyAlert of an invalid alert', async (s) => await s.applyAlert({ ...alertOf(), count: 0 }, [], () => ({ type: 'ignore' }))],
      ['applyAlert with an empty scope key', async (s) => await s.applyAlert(alertOf(), ['k1', ''], () => ({ type: 'ignore' }))]
    ])('%s rejects with a RangeError', async (_, call) => {
      const store = await fresh()
      await add(store)
      await expect(call(store)).rejects.toBeInstanceOf(RangeError)
    })

    test('a closed store rejects every call with GW_ERR_DISPATCH_STORE_UNAVAILABLE; close is idempotent', async () => {
      const store = await fresh()
      const x = await add(store)
      await store.close()
      await store.close()
      const a = alertOf()
      const calls = [() => store.applyAlert(a, [], createOrMerge(a)), () => store.update(x.id, (i) => change(i, {})), () => store.get(x.id),
        () => store.list(), () => store.all(), () => store.timeline(x.id), () => store.alerts(x.id), () => store.changesSince(0, 1),
        () => store.due(T0, 1), () => store.nextDueAt(), () => store.openByHandler('fire-room-1'), () => store.stats()]
      for (const call of calls) await expect(call()).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' })
    })
  })
}
