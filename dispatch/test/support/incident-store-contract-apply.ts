// The incident store contract, part 1: applyAlert (create, update, relink, ignore, the prefetched
// context, domain bugs and concurrent alerts of one scope).
import { describe, expect, test } from 'vitest'
import { GangwanError, type Alert, type Incident } from '@gangwan/contracts'
import type { AlertContext, AlertPlan, IncidentStore } from '../../src/index.ts'
import { next, T0 } from './make-alert.ts'
import { change, createOrMerge, createPlan, entry, makeIncident, mergePlan, zoneKey } from './make-incident.ts'
import { idNumber, relink, type ContractHarness } from './incident-store-harness.ts'

/** Registers the applyAlert tests of the incident store contract. */
export function applyAlertContract (h: ContractHarness): void {
  const { fresh, pair, alertOf, add, snapshot } = h
  describe('applyAlert', () => {
    test('create assigns increasing ids and seqs, fills incidentId, ignores the given id, and reads back', async () => {
      const store = await fresh()
      const a = alertOf()
      let seen: AlertContext | undefined
      const first = await store.applyAlert(a, [zoneKey(a)], (ctx) => { seen = ctx; return createPlan(a, { id: 'ignored' }) })
      expect(seen).toEqual({ candidates: [] })
      expect(first!.incident).toEqual({ ...makeIncident({}, a), id: 'INC-000001' })
      expect(first!.audit).toEqual([{ ...entry('created', 'dispatched', { at: a.detectedAt, details: { alert: a.key } }), seq: expect.any(Number), incidentId: 'INC-000001' }])
      const b = alertOf({ category: 'noise', kind: 'noise', location: { grid: 'G02' } })
      const second = await store.applyAlert(b, ['noise|G02'], createOrMerge(b))
      expect(second!.incident.id).toBe('INC-000002')
      expect(second!.audit[0]!.seq).toBeGreaterThan(first!.audit[0]!.seq)
      expect(await store.get('INC-000001')).toEqual(first!.incident)
      expect(await store.get('INC-000002')).toEqual(second!.incident)
      expect(await store.get('INC-999999')).toBeUndefined()
      expect(await store.timeline('INC-000001')).toEqual(first!.audit)
      expect(await store.alerts('INC-000001')).toEqual([{ incidentId: 'INC-000001', alert: a, mergeRule: 'new', reason: 'first alert of the incident', linkedAt: expect.any(Number) }])
      expect((await store.stats()).lastSeq).toBe(second!.audit[0]!.seq)
    })

    test('ids stay increasing and well formed over many creates', async () => {
      const store = await fresh()
      const ids: string[] = []
      for (let i = 0; i < 12; i++) ids.push((await add(store)).id)
      for (const id of ids) expect(id).toMatch(/^INC-\d{6,}$/)
      expect(ids.map(idNumber)).toEqual([...ids.map(idNumber)].sort((x, y) => x - y))
      expect(new Set(ids).size).toBe(12)
    })

    test('ignore stores nothing and resolves undefined', async () => {
      const store = await fresh()
      const a = alertOf()
      expect(await store.applyAlert(a, [zoneKey(a)], () => ({ type: 'ignore' }))).toBeUndefined()
      expect(await store.all()).toEqual([])
      expect(await store.stats()).toMatchObject({ lastSeq: 0 })
      expect(await store.applyAlert(a, [zoneKey(a)], createOrMerge(a))).toMatchObject({ incident: { id: 'INC-000001' } })
    })

    test('update merges an alert sharing a scope: next version, link in order, audit numbered', async () => {
      const store = await fresh()
      const a = alertOf()
      const b = alertOf()
      const created = await store.applyAlert(a, [zoneKey(a)], createOrMerge(a))
      let seen: AlertContext | undefined
      const merged = await store.applyAlert(b, [zoneKey(b)], (ctx) => { seen = ctx; return createOrMerge(b)(ctx) })
      expect(seen).toEqual({ candidates: [created!.incident] })
      const id = created!.incident.id
      expect(merged!.incident).toEqual({ ...created!.incident, version: 2, alertCount: 2, lastAlertAt: b.lastSeenAt, updatedAt: b.detectedAt })
      expect(merged!.audit).toEqual([{ ...entry('alert_merged', 'dispatched', { fromStatus: 'dispatched', at: b.detectedAt, details: { alert: b.key } }), seq: expect.any(Number), incidentId: id }])
      expect(merged!.audit[0]!.seq).toBeGreaterThan(created!.audit[0]!.seq)
      expect(await store.get(id)).toEqual(merged!.incident)
      expect(await store.timeline(id)).toEqual([...created!.audit, ...merged!.audit])
      const links = await store.alerts(id)
      expect(links.map((l) => [l.alert.key, l.mergeRule, l.reason])).toEqual([[a.key, 'new', 'first alert of the incident'], [b.key, 'fire-zone', `same fire zone as ${id}`]])
      for (const l of links) expect(Number.isInteger(l.linkedAt)).toBe(true)
      expect(links[1]!.linkedAt).toBeGreaterThanOrEqual(links[0]!.linkedAt)
      expect(await store.all()).toHaveLength(1)
    })

    test('an alert already linked is prefetched with its linked version, also when its incident is final', async () => {
      const store = await fresh()
      const a = alertOf()
      const created = await store.applyAlert(a, [zoneKey(a)], createOrMerge(a))
      const contexts: AlertContext[] = []
      const capture = (ctx: AlertContext): AlertPlan => { contexts.push(ctx); return { type: 'ignore' } }
      await store.applyAlert(next(a), ['nowhere'], capture)
      const closed = await store.update(created!.incident.id, (i) => change(i, { status: 'closed', closedAt: T0 + 60_000 }, 'close'))
      await store.applyAlert(next(a), [zoneKey(a)], capture)
      expect(contexts).toEqual([
        { linked: { incident: created!.incident, alert: a }, candidates: [] },
        { linked: { incident: closed.incident, alert: a }, candidates: [] }
      ])
    })

    test('relink refreshes the linked alert only: no audit, no new version, merge rule and order kept', async () => {
      const store = await fresh()
      const a = alertOf()
      const b = alertOf()
      const { incident } = (await store.applyAlert(a, [zoneKey(a)], createOrMerge(a)))!
      await store.applyAlert(b, [zoneKey(b)], createOrMerge(b))
      const before = await store.alerts(incident.id)
      const changes = await store.changesSince(0, 100)
      const current = await store.get(incident.id)
      expect(await store.applyAlert(next(a, 'cleared'), [zoneKey(a)], relink)).toBeUndefined()
      expect(await store.alerts(incident.id)).toEqual([{ ...before[0], alert: next(a, 'cleared') }, before[1]])
      expect(await store.get(incident.id)).toEqual(current)
      expect(await store.changesSince(0, 100)).toEqual(changes)
    })

    test('an update plan for an alert already linked refreshes it and keeps its merge rule, reason and order', async () => {
      const store = await fresh()
      const a = alertOf()
      const b = alertOf()
      const { incident } = (await store.applyAlert(a, [zoneKey(a)], createOrMerge(a)))!
      const merged = await store.applyAlert(b, [zoneKey(b)], createOrMerge(b))
      const before = await store.alerts(incident.id)
      const raised = await store.applyAlert(next(a), [zoneKey(a)], (ctx) => mergePlan(ctx.linked!.incident, next(a), [zoneKey(a)], 'severity'))
      expect(raised!.incident.version).toBe(merged!.incident.version + 1)
      expect(await store.alerts(incident.id)).toEqual([{ ...before[0], alert: next(a) }, before[1]])
    })

    test('creating or updating another incident with a linked alert moves the link', async () => {
      const store = await fresh()
      const a = alertOf()
      const first = (await store.applyAlert(a, [zoneKey(a)], createOrMerge(a)))!.incident
      await store.update(first.id, (i) => change(i, { status: 'false_alarm', falseAlarmReason: 'cooking smoke' }, 'false_alarm'))
      const second = (await store.applyAlert(next(a), [zoneKey(a)], () => createPlan(next(a))))!.incident
      expect(await store.alerts(first.id)).toEqual([])
      expect((await store.alerts(second.id)).map((l) => [l.alert, l.mergeRule])).toEqual([[next(a), 'new']])
      const third = await add(store)
      await store.applyAlert(next(next(a)), [], () => mergePlan(third, next(next(a)), [], 'moved'))
      expect(await store.alerts(second.id)).toEqual([])
      expect((await store.alerts(third.id)).map((l) => [l.alert.version, l.mergeRule])).toEqual([[1, 'new'], [3, 'moved']])
      let seen: AlertContext | undefined
      await store.applyAlert(next(next(next(a))), [], (ctx) => { seen = ctx; return { type: 'ignore' } })
      expect(seen?.linked?.incident.id).toBe(third.id)
    })

    test('candidates: open incidents under any requested scope key, each once, in creation order', async () => {
      const store = await fresh()
      const x = await add(store, {}, ['k1'])
      const y = await add(store, {}, ['k1'])
      const z = await add(store, {}, ['k2', 'k1'])
      await add(store, {}, ['k3'])
      await store.update(y.id, (i) => change(i, { status: 'closed' }, 'close'))
      const w = await add(store, { status: 'false_alarm' }, ['k2'])
      const seen: AlertContext[] = []
      for (const keys of [['k1', 'k2'], ['k2'], [], ['k9']]) {
        const a = alertOf()
        await store.applyAlert(a, keys, (ctx) => { seen.push(ctx); return { type: 'ignore' } })
      }
      expect(seen.map((c) => c.candidates.map((i) => i.id))).toEqual([[x.id, z.id], [z.id], [], []])
      expect(seen[0]!.candidates[0]).toEqual(x)
      expect(w.status).toBe('false_alarm')
    })

    test('scope keys come from the plan: a create and an update index the incident under theirs', async () => {
      const store = await fresh()
      const a = alertOf()
      const { incident } = (await store.applyAlert(a, ['asked'], () => createPlan(a, {}, ['p1', 'p2'])))!
      const b = alertOf()
      await store.applyAlert(b, ['p2'], (ctx) => mergePlan(ctx.candidates[0]!, b, ['p3']))
      const seen: AlertContext[] = []
      for (const key of ['asked', 'p1', 'p2', 'p3']) await store.applyAlert(alertOf(), [key], (ctx) => { seen.push(ctx); return { type: 'ignore' } })
      expect(seen.map((c) => c.candidates.map((i) => i.id))).toEqual([[], [incident.id], [incident.id], [incident.id]])
    })

    test.each<[string, (store: IncidentStore, target: Incident, a: Alert) => Promise<unknown>]>([
      ['a create of an invalid incident', async (s, _, a) => await s.applyAlert(a, [], () => createPlan(a, { title: '' }))],
      ['a create with an invalid audit entry', async (s, _, a) => await s.applyAlert(a, [], () => ({ ...createPlan(a), audit: [{ ...entry('created', 'new'), event: 'teleported' as 'created' }] }))],
      ['an update to the same version', async (s, t, a) => await s.applyAlert(a, [], () => ({ ...mergePlan(t, a), incident: { ...t, alertCount: 9 } }))],
      ['an update skipping a version', async (s, t, a) => await s.applyAlert(a, [], () => ({ ...mergePlan(t, a), incident: { ...t, version: t.version + 2 } }))],
      ['an update of an unknown incident', async (s, t, a) => await s.applyAlert(a, [], () => mergePlan({ ...t, id: 'INC-999999' }, a))],
      ['an update to an invalid incident', async (s, t, a) => await s.applyAlert(a, [], () => mergePlan({ ...t, severity: 'P0' as 'P1' }, a))],
      ['a relink of an alert not linked', async (s, _, a) => await s.applyAlert(a, [], relink)]
    ])('%s is a domain bug: rejects with a plain Error and stores nothing', async (_, apply) => {
      const store = await fresh()
      const target = await add(store, {}, ['k1'])
      const before = await snapshot(store)
      const err = await apply(store, target, alertOf()).then(() => undefined, (e: unknown) => e)
      expect(err).toBeInstanceOf(Error)
      expect(err).not.toBeInstanceOf(GangwanError)
      expect(await snapshot(store)).toEqual(before)
    })

    test('a throwing decide rejects with what it threw and stores nothing', async () => {
      const store = await fresh()
      await add(store, {}, ['k1'])
      const before = await snapshot(store)
      const thrown = new GangwanError('GW_ERR_DISPATCH_NO_ROUTE', 'no department for G09')
      await expect(store.applyAlert(alertOf(), ['k1'], () => { throw thrown })).rejects.toBe(thrown)
      expect(await snapshot(store)).toEqual(before)
    })

    test('two alerts of one scope applied at once open one incident: one create, one update', async () => {
      const [x, y] = await pair()
      for (let round = 0; round < 5; round++) {
        const [a, b] = [alertOf(), alertOf()]
        const key = `race|${round}`
        const results = await Promise.all([
          x.applyAlert(a, [key], (ctx) => ctx.candidates[0] === undefined ? createPlan(a, {}, [key]) : mergePlan(ctx.candidates[0], a, [key])),
          y.applyAlert(b, [key], (ctx) => ctx.candidates[0] === undefined ? createPlan(b, {}, [key]) : mergePlan(ctx.candidates[0], b, [key]))
        ])
        expect(results.map((r) => r!.incident.version).sort()).toEqual([1, 2])
        expect(results[0]!.incident.id).toBe(results[1]!.incident.id)
        expect((await x.alerts(results[0]!.incident.id)).map((l) => l.mergeRule).sort()).toEqual(['fire-zone', 'new'])
      }
      expect(await y.all()).toHaveLength(5)
    })
  })
}
