// The incident store contract, part 2: update (versions, errors, rollback, concurrent updates).
import { describe, expect, test } from 'vitest'
import { GangwanError, type Incident } from '@gangwan/contracts'
import { T0 } from './make-alert.ts'
import { change, entry } from './make-incident.ts'
import type { ContractHarness } from './incident-store-harness.ts'

/** Registers the update tests of the incident store contract. */
export function updateContract (h: ContractHarness): void {
  const { fresh, pair, add, snapshot } = h
  describe('update', () => {
    test('stores the next version with its audit, checking expectedVersion', async () => {
      const store = await fresh()
      const created = await add(store)
      const accepted = await store.update(created.id, (i) => change(i, { status: 'accepted', handler: 'h-li', acceptedAt: T0 + 1000 }, 'accept'), { expectedVersion: 1 })
      expect(accepted.incident).toEqual({ ...created, version: 2, status: 'accepted', handler: 'h-li', acceptedAt: T0 + 1000, updatedAt: created.updatedAt + 1000 })
      expect(accepted.audit).toEqual([{ ...change(created, { status: 'accepted' }, 'accept').audit[0], seq: expect.any(Number), incidentId: created.id }])
      const arrived = await store.update(created.id, (i) => {
        const m = change(i, { status: 'handling' }, 'arrive')
        return { ...m, audit: [...m.audit, entry('escalated', 'handling', { at: m.incident.updatedAt, details: { to: 'community' } })] }
      })
      expect(arrived.incident.version).toBe(3)
      expect(arrived.audit.map((e) => e.event)).toEqual(['arrive', 'escalated'])
      expect(arrived.audit[1]!.seq).toBeGreaterThan(arrived.audit[0]!.seq)
      expect(await store.get(created.id)).toEqual(arrived.incident)
      expect((await store.timeline(created.id)).map((e) => e.event)).toEqual(['created', 'accept', 'arrive', 'escalated'])
    })

    test('a stale expectedVersion rejects with GW_ERR_DISPATCH_STALE and an unknown id with GW_ERR_DISPATCH_NOT_FOUND, changing nothing', async () => {
      const store = await fresh()
      const created = await add(store)
      await store.update(created.id, (i) => change(i, { status: 'accepted' }, 'accept'))
      const before = await snapshot(store)
      let called = 0
      const mutate = (i: Incident): ReturnType<typeof change> => { called++; return change(i, { status: 'handling' }, 'arrive') }
      await expect(store.update(created.id, mutate, { expectedVersion: 1 })).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STALE' })
      await expect(store.update(created.id, mutate, { expectedVersion: 3 })).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STALE' })
      await expect(store.update('INC-999999', mutate)).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_NOT_FOUND' })
      await expect(store.update('INC-999999', mutate, { expectedVersion: 1 })).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_NOT_FOUND' })
      expect(called).toBe(0)
      expect(await snapshot(store)).toEqual(before)
    })

    test('a throwing mutate rolls back and rejects with what it threw', async () => {
      const store = await fresh()
      const created = await add(store)
      const before = await snapshot(store)
      const thrown = new GangwanError('GW_ERR_DISPATCH_INVALID_TRANSITION', 'verify needs resolved')
      await expect(store.update(created.id, () => { throw thrown }, { expectedVersion: 1 })).rejects.toBe(thrown)
      expect(await snapshot(store)).toEqual(before)
    })

    test.each<[string, (i: Incident) => ReturnType<typeof change>]>([
      ['the same version', (i) => ({ ...change(i, { status: 'accepted' }), incident: { ...i, status: 'accepted' } })],
      ['a version skipped', (i) => ({ ...change(i, {}), incident: { ...i, version: i.version + 2 } })],
      ['another id', (i) => change(i, { id: 'INC-000777' })],
      ['an invalid incident', (i) => change(i, { escalatedTo: ['not an id'] })],
      ['an invalid audit entry', (i) => ({ ...change(i, {}), audit: [{ ...entry('accept', 'accepted'), at: 1.5 }] })]
    ])('a mutate returning %s is a domain bug: rejects with a plain Error and changes nothing', async (_, mutate) => {
      const store = await fresh()
      const created = await add(store)
      const before = await snapshot(store)
      const err = await store.update(created.id, mutate).then(() => undefined, (e: unknown) => e)
      expect(err).toBeInstanceOf(Error)
      expect(err).not.toBeInstanceOf(GangwanError)
      expect(await snapshot(store)).toEqual(before)
    })

    test('of two updates expecting the same version exactly one wins, the other is stale', async () => {
      const [x, y] = await pair()
      const created = await add(x)
      const results = await Promise.allSettled([
        x.update(created.id, (i) => change(i, { handler: 'h-li' }, 'accept'), { expectedVersion: 1 }),
        y.update(created.id, (i) => change(i, { handler: 'h-zhao' }, 'accept'), { expectedVersion: 1 })
      ])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
      const won = results.find((r) => r.status === 'fulfilled')!.value
      expect(results.find((r) => r.status === 'rejected')!.reason).toMatchObject({ code: 'GW_ERR_DISPATCH_STALE' })
      expect(await y.get(created.id)).toEqual(won.incident)
      expect(await x.timeline(created.id)).toHaveLength(2)
    })

    test('of two updates checking one precondition without a version, the second sees the first one\'s result', async () => {
      const [x, y] = await pair()
      const created = await add(x)
      const accept = (handler: string) => (i: Incident): ReturnType<typeof change> => {
        if (i.status !== 'dispatched') throw new GangwanError('GW_ERR_DISPATCH_INVALID_TRANSITION', `already ${i.status}`)
        return change(i, { status: 'accepted', handler }, 'accept')
      }
      const results = await Promise.allSettled([x.update(created.id, accept('h-li')), y.update(created.id, accept('h-zhao'))])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
      expect(results.find((r) => r.status === 'rejected')!.reason).toMatchObject({ code: 'GW_ERR_DISPATCH_INVALID_TRANSITION', message: 'already accepted' })
      expect(await x.get(created.id)).toMatchObject({ version: 2, status: 'accepted' })
      expect((await y.timeline(created.id)).map((e) => e.event)).toEqual(['created', 'accept'])
    })

    test('many concurrent counting updates lose none', async () => {
      const [x, y] = await pair()
      const created = await add(x)
      const bump = (i: Incident): ReturnType<typeof change> => change(i, { reworkCount: i.reworkCount + 1 }, 'reject', { reason: 'counted' })
      await Promise.all(Array.from({ length: 20 }, async (_, n) => await (n % 2 === 0 ? x : y).update(created.id, bump)))
      expect(await x.get(created.id)).toMatchObject({ version: 21, reworkCount: 20 })
      const seqs = (await y.timeline(created.id)).map((e) => e.seq)
      expect(seqs).toHaveLength(21)
      expect(new Set(seqs).size).toBe(21)
    })
  })
}
