// The incident store contract, part 3: the reads (list, all, due, nextDueAt, changesSince,
// timeline, alerts, openByHandler, stats).
import { describe, expect, test } from 'vitest'
import { INCIDENT_STATUSES, type Incident } from '@gangwan/contracts'
import type { IncidentStore } from '../../src/index.ts'
import { T0 } from './make-alert.ts'
import { change, createOrMerge, entry, zoneKey } from './make-incident.ts'
import { FUTURE, PAST, type ContractHarness } from './incident-store-harness.ts'

/** Registers the read tests of the incident store contract. */
export function readsContract (h: ContractHarness): void {
  const { fresh, alertOf, add } = h
  describe('reads', () => {
    /**
     * Six incidents (index = creation order):
     * 0 fire P2 dispatched G01/B03 fire-room-1 h-li, 1 elevator P1 accepted G01/B05 lift-co h-zhao,
     * 2 noise P3 closed G02/B07 urban, 3 fire P1 handling G02/B03 fire-room-1 h-li,
     * 4 fume P4 false_alarm G03 urban, 5 fire P2 new G01/B03 (created with 2: a createdAt tie).
     */
    async function seed (store: IncidentStore): Promise<Incident[]> {
      const specs: Array<Partial<Incident>> = [
        { category: 'fire', severity: 'P2', status: 'dispatched', location: { grid: 'G01', building: 'B03' }, department: 'fire-room-1', handler: 'h-li', createdAt: T0, updatedAt: T0 + 9000, deadline: { step: 'accept', dueAt: T0 + 60_000, tier: 0 } },
        { category: 'elevator', severity: 'P1', status: 'accepted', location: { grid: 'G01', building: 'B05' }, department: 'lift-co', handler: 'h-zhao', createdAt: T0 + 1000, updatedAt: T0 + 5000, deadline: { step: 'arrive', dueAt: T0 + 30_000, tier: 0 } },
        { category: 'noise', severity: 'P3', status: 'closed', location: { grid: 'G02', building: 'B07' }, department: 'urban', createdAt: T0 + 2000, updatedAt: T0 + 7000 },
        { category: 'fire', severity: 'P1', status: 'handling', location: { grid: 'G02', building: 'B03' }, department: 'fire-room-1', handler: 'h-li', createdAt: T0 + 3000, updatedAt: T0 + 6000, deadline: { step: 'resolve', dueAt: T0 + 10_000, tier: 1 } },
        { category: 'fume', severity: 'P4', status: 'false_alarm', location: { grid: 'G03' }, department: 'urban', createdAt: T0 + 4000, updatedAt: T0 + 8000 },
        { category: 'fire', severity: 'P2', status: 'new', location: { grid: 'G01', building: 'B03' }, department: undefined, createdAt: T0 + 2000, updatedAt: T0 + 4000 }
      ]
      const out: Incident[] = []
      for (const s of specs) out.push(await add(store, s))
      return out
    }

    test.each<[string, Parameters<IncidentStore['list']>[0], number[]]>([
      ['nothing', {}, [0, 1, 2, 5, 3, 4]],
      ['status', { status: ['dispatched', 'accepted'] }, [0, 1]],
      ['no status', { status: [] }, []],
      ['open', { open: true }, [0, 1, 5, 3]],
      ['not open', { open: false }, [2, 4]],
      ['category', { category: ['fire'] }, [0, 5, 3]],
      ['severity', { severity: ['P1', 'P4'] }, [1, 3, 4]],
      ['grid', { grid: ['G02', 'G03'] }, [2, 3, 4]],
      ['department', { department: ['fire-room-1'] }, [0, 3]],
      ['handler', { handler: 'h-li' }, [0, 3]],
      ['building', { building: 'B03' }, [0, 5, 3]],
      ['created range (from inclusive, to exclusive)', { createdFrom: T0 + 1000, createdTo: T0 + 3000 }, [1, 2, 5]],
      ['filters together', { category: ['fire'], open: true, severity: ['P2'] }, [0, 5]],
      ['createdAt descending (ties too)', { order: 'desc' }, [4, 3, 5, 2, 1, 0]],
      ['updatedAt', { sort: 'updatedAt' }, [5, 1, 3, 2, 4, 0]],
      ['updatedAt descending', { sort: 'updatedAt', order: 'desc' }, [0, 4, 2, 3, 1, 5]],
      ['severity (P1 first)', { sort: 'severity' }, [1, 3, 0, 5, 2, 4]],
      ['severity descending', { sort: 'severity', order: 'desc' }, [4, 2, 5, 0, 3, 1]],
      ['dueAt (no deadline last)', { sort: 'dueAt' }, [3, 1, 0, 2, 4, 5]],
      ['dueAt descending (no deadline still last)', { sort: 'dueAt', order: 'desc' }, [0, 1, 3, 5, 4, 2]],
      ['dueAt of open fires', { sort: 'dueAt', category: ['fire'], open: true }, [3, 0, 5]],
      ['queue (severity, then deadline with none last, then creation)', { sort: 'queue' }, [3, 1, 0, 5, 2, 4]],
      ['queue descending (the exact reverse)', { sort: 'queue', order: 'desc' }, [4, 2, 5, 0, 1, 3]],
      ['queue of open incidents', { sort: 'queue', open: true }, [3, 1, 0, 5]]
    ])('list by %s', async (_, query, expected) => {
      const store = await fresh()
      const seeded = await seed(store)
      expect(await store.list(query)).toEqual({ items: expected.map((i) => seeded[i]), total: expected.length })
      const { limit: _l, offset: _o, sort: _s, order: _r, ...filters } = query ?? {}
      expect((await store.all(filters)).map((i) => i.id).sort()).toEqual(expected.map((i) => seeded[i]!.id).sort())
    })

    test('list pages with limit and offset and counts every match', async () => {
      const store = await fresh()
      const seeded = await seed(store)
      const order = [0, 1, 2, 5, 3, 4].map((i) => seeded[i])
      expect(await store.list({ limit: 2 })).toEqual({ items: order.slice(0, 2), total: 6 })
      expect(await store.list({ limit: 2, offset: 2 })).toEqual({ items: order.slice(2, 4), total: 6 })
      expect(await store.list({ limit: 4, offset: 4 })).toEqual({ items: order.slice(4), total: 6 })
      expect(await store.list({ offset: 6 })).toEqual({ items: [], total: 6 })
      expect(await store.list({ open: true, sort: 'severity', limit: 1, offset: 1 })).toEqual({ items: [seeded[3]], total: 4 })
      expect(await store.list({ open: true, sort: 'queue', limit: 2, offset: 1 })).toEqual({ items: [seeded[1], seeded[0]], total: 4 })
      expect((await store.list({ limit: 1000 })).items).toHaveLength(6)
    })

    test('list returns 100 by default and all returns every match in creation order', async () => {
      const store = await fresh()
      const ids: string[] = []
      for (let i = 0; i < 103; i++) ids.push((await add(store, { createdAt: T0 + (i % 2) * 1000 })).id)
      const page = await store.list()
      expect(page.total).toBe(103)
      expect(page.items).toHaveLength(100)
      expect((await store.all()).map((i) => i.id)).toEqual(ids)
    })

    test('due lists open incidents at or past their deadline, earliest first; final incidents are never due', async () => {
      const store = await fresh()
      expect(await store.nextDueAt()).toBeUndefined()
      const a = await add(store, { deadline: { step: 'accept', dueAt: T0 + 30_000, tier: 0 } })
      const b = await add(store, { status: 'accepted', deadline: { step: 'arrive', dueAt: T0 + 10_000, tier: 0 } })
      await add(store, { status: 'closed', deadline: { step: 'resolve', dueAt: T0 + 5000, tier: 0 } })
      await add(store, { status: 'new' })
      const e = await add(store, { status: 'handling', deadline: { step: 'resolve', dueAt: T0 + 10_000, tier: 2 } })
      const ids = async (now: number, limit: number): Promise<string[]> => (await store.due(now, limit)).map((i) => i.id)
      expect(await ids(T0 + 9999, 10)).toEqual([])
      expect(await ids(T0 + 15_000, 10)).toEqual([b.id, e.id])
      expect(await ids(T0 + 30_000, 10)).toEqual([b.id, e.id, a.id])
      expect(await ids(T0 + 30_000, 2)).toEqual([b.id, e.id])
      expect((await store.due(T0 + 30_000, 1))[0]).toEqual(b)
      expect(await store.nextDueAt()).toBe(T0 + 10_000)
      await store.update(b.id, (i) => change(i, { status: 'resolved', deadline: undefined }, 'resolve'))
      await store.update(e.id, (i) => change(i, { status: 'false_alarm' }, 'false_alarm'))
      expect(await ids(T0 + 30_000, 10)).toEqual([a.id])
      expect(await store.nextDueAt()).toBe(T0 + 30_000)
      await store.update(a.id, (i) => change(i, { deadline: { step: 'accept', dueAt: T0 + 90_000, tier: 1 }, tier: 1 }, 'dispatch'))
      expect(await ids(T0 + 30_000, 10)).toEqual([])
      expect(await store.nextDueAt()).toBe(T0 + 90_000)
      await store.update(e.id, (i) => change(i, { status: 'dispatched' }, 'reopen'))
      expect(await store.nextDueAt()).toBe(T0 + 10_000)
    })

    test('changesSince returns entries after a seq in order, each with its incident as it is now', async () => {
      const store = await fresh()
      const x = await add(store)
      const y = await add(store)
      const moved = await store.update(x.id, (i) => {
        const m = change(i, { status: 'accepted' }, 'accept')
        return { ...m, audit: [...m.audit, entry('severity_raised', 'accepted', { details: { from: 'P2', to: 'P1' } })] }
      })
      const all = await store.changesSince(0, 100)
      expect(all.map((c) => [c.entry.event, c.entry.incidentId])).toEqual([['created', x.id], ['created', y.id], ['accept', x.id], ['severity_raised', x.id]])
      const seqs = all.map((c) => c.entry.seq)
      expect(seqs).toEqual([...seqs].sort((p, q) => p - q))
      expect(new Set(seqs).size).toBe(4)
      expect(all[0]!.incident).toEqual(moved.incident)
      expect(all[1]!.incident).toEqual(y)
      expect(all.slice(2).map((c) => c.entry)).toEqual(moved.audit)
      expect(await store.changesSince(seqs[0]!, 2)).toEqual(all.slice(1, 3))
      expect(await store.changesSince(seqs[3]!, 10)).toEqual([])
      expect((await store.stats()).lastSeq).toBe(seqs[3])
    })

    test('timeline lists one incident\'s entries in seq order; alerts lists its links in link order', async () => {
      const store = await fresh()
      const a = alertOf()
      const x = (await store.applyAlert(a, [zoneKey(a)], createOrMerge(a)))!.incident
      const other = await add(store)
      const alerts = [alertOf(), alertOf(), alertOf()]
      for (const b of alerts) await store.applyAlert(b, [zoneKey(b)], createOrMerge(b))
      await store.update(other.id, (i) => change(i, { status: 'accepted' }, 'accept'))
      await store.update(x.id, (i) => change(i, { status: 'accepted' }, 'accept'))
      const timeline = await store.timeline(x.id)
      expect(timeline.map((e) => e.event)).toEqual(['created', 'alert_merged', 'alert_merged', 'alert_merged', 'accept'])
      for (const e of timeline) expect(e.incidentId).toBe(x.id)
      expect(timeline.map((e) => e.seq)).toEqual(timeline.map((e) => e.seq).sort((p, q) => p - q))
      expect((await store.alerts(x.id)).map((l) => l.alert)).toEqual([a, ...alerts])
      expect(await store.timeline('INC-999999')).toEqual([])
      expect(await store.alerts('INC-999999')).toEqual([])
    })

    test('openByHandler counts open incidents per handler of one department', async () => {
      const store = await fresh()
      expect(await store.openByHandler('fire-room-1')).toEqual({})
      await seed(store)
      await add(store, { department: 'fire-room-1', handler: 'h-li', status: 'resolved' })
      await add(store, { department: 'fire-room-1', handler: 'h-wu', status: 'closed' })
      await add(store, { department: 'fire-room-1', handler: 'h-zhao' })
      await add(store, { department: 'fire-room-1' })
      expect(await store.openByHandler('fire-room-1')).toEqual({ 'h-li': 3, 'h-zhao': 1 })
      expect(await store.openByHandler('lift-co')).toEqual({ 'h-zhao': 1 })
      expect(await store.openByHandler('urban')).toEqual({})
    })

    test('stats counts incidents by status, open ones overdue now, and the last seq', async () => {
      const store = await fresh()
      expect(await store.stats()).toEqual({ byStatus: Object.fromEntries(INCIDENT_STATUSES.map((s) => [s, 0])), overdue: 0, lastSeq: 0 })
      const seeded = await seed(store)
      await add(store, { status: 'accepted', deadline: { step: 'arrive', dueAt: FUTURE, tier: 0 } })
      await add(store, { status: 'closed', deadline: { step: 'resolve', dueAt: PAST, tier: 0 } })
      const last = await store.update(seeded[5]!.id, (i) => change(i, { status: 'dispatched', deadline: { step: 'accept', dueAt: PAST, tier: 0 } }))
      // Seeded deadlines are at T0 + seconds, in the past of the real clock: 0, 1, 3 and now 5 are overdue.
      expect(await store.stats()).toEqual({
        byStatus: { new: 0, dispatched: 2, accepted: 2, handling: 1, resolved: 0, verified: 0, closed: 2, false_alarm: 1 },
        overdue: 4,
        lastSeq: last.audit[0]!.seq
      })
    })
  })
}
