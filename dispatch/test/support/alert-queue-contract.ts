// The contract every AlertQueue implementation passes (aedes-persistence's abstract.js habit):
// a runner file calls alertQueueContract() with a factory for its store.
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import pino, { type Logger } from 'pino'
import type { Alert } from '@gangwan/contracts'
import type { AlertQueue } from '../../src/index.ts'
import { makeAlert, next, T0 } from './make-alert.ts'
import { RACE_SUBJECTS, racePlan } from './put-plans.ts'

/** What a factory gets: a logger (warnings are captured) and the hub clock. */
export interface QueueFactoryOptions { log: Logger, now: () => number }
/** Opens a connection to store `store`: the same name reaches the same data, a new name an empty store. */
export type AlertQueueFactory = (store: string, opts: QueueFactoryOptions) => AlertQueue | Promise<AlertQueue>

/** Every change in the log as [type, key, version], in id order. */
async function log3 (q: AlertQueue): Promise<[string, string, number][]> {
  return (await q.changesSince(0, 10_000)).map((c) => [c.type, c.alert.key, c.alert.version])
}

/** `alert` at version `v` (seen v times). */
const at = (alert: Alert, v: number): Alert => ({ ...alert, version: v, count: v, lastSeenAt: alert.openedAt + v * 1000 })

/**
 * What racePlan('A') and racePlan('B') leave once both have run, whatever the interleaving: each
 * smoke (key, version) stored once in version order, one noise episode open per subject, the
 * other racer's refused once.
 */
export async function expectRaceOutcome (q: AlertQueue): Promise<void> {
  const changes = await q.changesSince(0, 10_000)
  const smoke = new Map<string, number[]>()
  for (const c of changes.filter((c) => c.alert.ruleId === 'fire.smoke')) smoke.set(c.alert.key, [...smoke.get(c.alert.key) ?? [], c.alert.version])
  expect(smoke.size).toBe(RACE_SUBJECTS)
  for (const [key, versions] of smoke) expect(versions, key).toEqual([1, 2, 3])
  const noise = changes.filter((c) => c.alert.ruleId === 'noise.night')
  expect(new Set(noise.map((c) => c.alert.subject)).size).toBe(RACE_SUBJECTS)
  expect(noise).toHaveLength(RACE_SUBJECTS)
  const open = await q.open()
  expect(open).toHaveLength(2 * RACE_SUBJECTS)
  expect(new Set(open.map((a) => `${a.ruleId}|${a.subject}`)).size).toBe(2 * RACE_SUBJECTS)
  expect((await q.stats()).refusedDuplicates).toBe(RACE_SUBJECTS)
}

/**
 * Registers the alert queue contract tests for one implementation.
 *
 * @example alertQueueContract('SQLite', (store, opts) => createAlertQueue({ path: join(dir, `${store}.db`), ...opts }))
 */
export function alertQueueContract (name: string, factory: AlertQueueFactory): void {
  describe(`${name} alert queue contract`, () => {
    let queues: AlertQueue[] = []
    let stores = 0
    let clock = 0
    const logged: Record<string, unknown>[] = []
    const log = pino({ level: 'warn' }, { write: (line: string) => { logged.push(JSON.parse(line) as Record<string, unknown>) } })
    async function open (store = `store-${++stores}`): Promise<AlertQueue> {
      const q = await factory(store, { log, now: () => clock })
      queues.push(q)
      return q
    }
    beforeEach(() => { logged.length = 0; clock = T0 + 3_600_000 })
    afterEach(async () => {
      await Promise.all(queues.map(async (q) => { await q.close() }))
      queues = []
    })

    test('a put alert reads back through get, open, list and the change log', async () => {
      const q = await open()
      const a = makeAlert()
      await q.put([a])
      expect(await q.get(a.key)).toEqual(a)
      expect(await q.get('fire.smoke|nowhere|0')).toBeUndefined()
      expect(await q.open()).toEqual([a])
      expect(await q.list()).toEqual([a])
      expect(await q.changesSince(0, 10)).toEqual([{ id: expect.any(Number), type: 'opened', at: clock, alert: a }])
    })

    test.each([
      ['no device or kind, grid only', makeAlert({ device: undefined, kind: undefined, location: { grid: 'G02' } })],
      ['thrown object with floor range and track', makeAlert({ ruleId: 'falling.track', subject: 'CAM-B03-E', kind: 'falling_object', category: 'falling_object', severity: 'P1', location: { grid: 'G01', building: 'B03', facade: 'E', floorRange: { from: 14, to: 16, confidence: 0.8 } }, trigger: { values: { speed: 18.2 }, window: { fromMs: T0, toMs: T0 + 900 }, clip: 'clips/cam-b03-e/1763800000000.mp4', trajectory: [{ t: 0, x: 2.1, h: 45 }, { t: 0.9, x: 2.3, h: 41 }] } })],
      ['cleared device health alert', makeAlert({ ruleId: 'health.offline', category: 'device_health', severity: 'P4', state: 'cleared', clearedAt: T0 + 60_000 })]
    ])('accepts %s', async (_, alert) => {
      const q = await open()
      await q.put([alert])
      expect(await q.get(alert.key)).toEqual(JSON.parse(JSON.stringify(alert)))
    })

    test('putting the same version again changes nothing', async () => {
      const q = await open()
      const a = makeAlert()
      await q.put([a])
      await q.put([a])
      await q.put([a, a])
      expect(await log3(q)).toEqual([['opened', a.key, 1]])
      await q.put([next(a), next(a), a])
      expect(await log3(q)).toEqual([['opened', a.key, 1], ['updated', a.key, 2]])
      expect(await q.get(a.key)).toEqual(next(a))
    })

    test.each([
      { order: [1, 2, 3], kept: 3, logged: [1, 2, 3] },
      { order: [3, 1, 2], kept: 3, logged: [3] },
      { order: [2, 2, 1], kept: 2, logged: [2] },
      { order: [1, 3, 2], kept: 3, logged: [1, 3] }
    ])('versions $order keep $kept and log $logged, put one by one or together', async ({ order, kept, logged: versions }) => {
      const a = makeAlert()
      const apart = await open()
      for (const v of order) await apart.put([at(a, v)])
      const together = await open()
      await together.put(order.map((v) => at(a, v)))
      for (const q of [apart, together]) {
        expect(await q.get(a.key)).toEqual(at(a, kept))
        expect((await log3(q)).map(([, , v]) => v)).toEqual(versions)
      }
    })

    test.each([
      { states: ['open', 'open', 'cleared'], types: ['opened', 'updated', 'cleared'] },
      { states: ['cleared'], types: ['cleared'] },
      { states: ['cleared', 'cleared'], types: ['cleared', 'updated'] },
      { states: ['open', 'cleared', 'open'], types: ['opened', 'cleared', 'opened'] }
    ] as const)('states $states log $types', async ({ states, types }) => {
      const q = await open()
      let a = makeAlert({ state: states[0] })
      await q.put([a])
      for (const s of states.slice(1)) { a = next(a, s); await q.put([a]) }
      expect((await log3(q)).map(([t]) => t)).toEqual(types)
    })

    test('a second open episode of a rule and subject is refused, counted once and logged with both keys', async () => {
      const q = await open()
      const a = makeAlert()
      const b = makeAlert({ openedAt: T0 + 60_000 })
      await q.put([a])
      await q.put([b])
      await q.put([b])
      expect(await q.open()).toEqual([a])
      expect(await q.get(b.key)).toBeUndefined()
      expect((await q.stats()).refusedDuplicates).toBe(1)
      expect(logged).toMatchObject([{ level: 40, key: b.key, openKey: a.key, ruleId: a.ruleId, subject: a.subject }])
      await q.put([next(b)])
      expect((await q.stats()).refusedDuplicates).toBe(2)
      // Another subject or another rule is another pair; a cleared episode does not count as open.
      const other = [makeAlert({ subject: 'B03-F12-S02' }), makeAlert({ ruleId: 'fire.heat' }), makeAlert({ state: 'cleared', openedAt: T0 - 60_000 })]
      await q.put(other)
      expect(await q.open()).toHaveLength(3)
      // Once the first episode clears, the second one opens (in the same put, in order).
      await q.put([next(a, 'cleared'), next(next(b))])
      expect((await q.open()).map((x) => x.key).sort()).toEqual([b.key, other[0]!.key, other[1]!.key].sort())
      expect((await log3(q)).slice(-2)).toEqual([['cleared', a.key, 2], ['opened', b.key, 3]])
    })

    test('within one put the first open episode wins', async () => {
      const q = await open()
      const a = makeAlert({ openedAt: T0 + 60_000 })
      const b = makeAlert()
      await q.put([a, b])
      expect(await q.open()).toEqual([a])
      expect(await log3(q)).toEqual([['opened', a.key, 1]])
    })

    test.each([
      ['no key', (a: Alert) => ({ ...a, key: undefined })],
      ['an unknown severity', (a: Alert) => ({ ...a, severity: 'P0' })],
      ['an unknown field', (a: Alert) => ({ ...a, ticket: 7 })],
      ['count 0', (a: Alert) => ({ ...a, count: 0 })],
      ['a fractional version', (a: Alert) => ({ ...a, version: 1.5 })],
      ['a grid that is not an id', (a: Alert) => ({ ...a, location: { grid: 'G 01' } })],
      ['a string instead of an object', () => 'alert']
    ])('an alert with %s fails the whole put with GW_ERR_QUEUE_INVALID_ALERT', async (_, spoil) => {
      const q = await open()
      const good = makeAlert({ subject: 'B03-F12-S09' })
      await expect(q.put([good, spoil(makeAlert()) as Alert])).rejects.toMatchObject({ code: 'GW_ERR_QUEUE_INVALID_ALERT', message: expect.stringContaining('alerts[1]') })
      expect(await q.get(good.key)).toBeUndefined()
      expect(await q.changesSince(0, 10)).toEqual([])
    })

    test('read returns the changes after the consumer cursor in id order; ack commits it, never backwards', async () => {
      const q = await open()
      const a = makeAlert()
      const c = makeAlert({ subject: 'B03-F12-S02' })
      await q.put([a, c])
      await q.put([next(a)])
      await q.put([next(next(a), 'cleared'), next(c)])
      const all = await q.changesSince(0, 100)
      expect(all.map((x) => x.type)).toEqual(['opened', 'opened', 'updated', 'cleared', 'updated'])
      expect(all.map((x) => x.id)).toEqual([...all.map((x) => x.id)].sort((x, y) => x - y))
      expect(new Set(all.map((x) => x.id)).size).toBe(5)
      expect(await q.read('incidents', 2)).toEqual(all.slice(0, 2))
      expect(await q.read('incidents', 2)).toEqual(all.slice(0, 2))
      await q.ack('incidents', all[1]!.id)
      expect(await q.read('incidents', 10)).toEqual(all.slice(2))
      await q.ack('incidents', all[0]!.id)
      expect(await q.read('incidents', 10)).toEqual(all.slice(2))
      expect(await q.read('audit', 10)).toEqual(all)
      await q.ack('incidents', all[4]!.id)
      expect(await q.read('incidents', 10)).toEqual([])
      await q.put([next(next(c))])
      expect((await q.read('incidents', 10)).map((x) => [x.type, x.alert.version])).toEqual([['updated', 3]])
      expect((await q.stats()).consumers).toEqual({ incidents: all[4]!.id })
    })

    test('an ack ahead of the log is clamped to the newest change, so later changes are still read', async () => {
      const q = await open()
      await q.put([makeAlert()])
      const [first] = await q.changesSince(0, 10)
      await q.ack('incidents', first!.id + 1000)
      const c = makeAlert({ subject: 'B03-F12-S02' })
      await q.put([c])
      expect((await q.read('incidents', 10)).map((x) => x.alert)).toEqual([c])
    })

    test('alerts and cursors survive close and reopen', async () => {
      const first = await open('reopened')
      const a = makeAlert()
      await first.put([a, makeAlert({ subject: 'B03-F12-S02' })])
      const [one] = await first.read('incidents', 1)
      await first.ack('incidents', one!.id)
      await first.close()
      const second = await open('reopened')
      expect(await second.get(a.key)).toEqual(a)
      expect((await second.read('incidents', 10)).map((x) => x.alert.subject)).toEqual(['B03-F12-S02'])
      expect((await second.stats()).consumers).toEqual({ incidents: one!.id })
    })

    test('changesSince pages through the log', async () => {
      const q = await open()
      const alerts = Array.from({ length: 7 }, (_, i) => makeAlert({ subject: `S${i}` }))
      for (const a of alerts) await q.put([a])
      const pages: Alert[] = []
      let last = 0
      for (let page = await q.changesSince(last, 3); page.length > 0; page = await q.changesSince(last, 3)) {
        expect(page.length).toBeLessThanOrEqual(3)
        pages.push(...page.map((x) => x.alert))
        last = page.at(-1)!.id
      }
      expect(pages).toEqual(alerts)
    })

    test('list filters by state and category and pages by key', async () => {
      const q = await open()
      const fire = ['S1', 'S2', 'S3'].map((s) => makeAlert({ subject: s }))
      const noise = makeAlert({ ruleId: 'noise.night', subject: 'N1', category: 'noise', kind: 'noise' })
      const cleared = makeAlert({ subject: 'S0', state: 'cleared', clearedAt: T0 })
      await q.put([...fire, noise, cleared])
      expect((await q.list({ state: 'cleared' }))).toEqual([cleared])
      expect((await q.list({ category: 'noise' }))).toEqual([noise])
      expect((await q.list({ state: 'open', category: 'fire' }))).toEqual(fire)
      expect((await q.list({ category: 'fire', limit: 2 }))).toEqual([cleared, fire[0]])
      expect((await q.list({ category: 'fire', limit: 2, afterKey: fire[0]!.key }))).toEqual(fire.slice(1))
      expect((await q.list({ afterKey: noise.key }))).toEqual([])
    })

    test('stats counts alerts by state, changes, refusals and cursors', async () => {
      const q = await open()
      expect(await q.stats()).toEqual({ alerts: { open: 0, cleared: 0 }, changes: 0, lastChangeId: 0, refusedDuplicates: 0, consumers: {} })
      const a = makeAlert()
      await q.put([a, makeAlert({ subject: 'S2' }), makeAlert({ openedAt: T0 + 1 })])
      await q.put([next(a, 'cleared')])
      const ids = (await q.changesSince(0, 10)).map((c) => c.id)
      await q.ack('incidents', ids[1]!)
      expect(await q.stats()).toEqual({ alerts: { open: 1, cleared: 1 }, changes: 3, lastChangeId: ids[2], refusedDuplicates: 1, consumers: { incidents: ids[1] } })
    })

    test('two instances on one store putting the same keys at once store each change once', async () => {
      const [x, y] = [await open('raced'), await open('raced')]
      const run = async (q: AlertQueue, plan: Alert[][]): Promise<void> => { for (const batch of plan) await q.put(batch) }
      await Promise.all([run(x, racePlan('A')), run(y, racePlan('B')), run(x, racePlan('B')), run(y, racePlan('A'))])
      await expectRaceOutcome(x)
    })

    test.each([
      ['read with an empty consumer', (q: AlertQueue) => q.read('', 1)],
      ['read with limit 0', (q: AlertQueue) => q.read('c', 0)],
      ['ack with a fractional id', (q: AlertQueue) => q.ack('c', 1.5)],
      ['changesSince a negative id', (q: AlertQueue) => q.changesSince(-1, 1)],
      ['list with limit 1001', (q: AlertQueue) => q.list({ limit: 1001 })]
    ])('%s rejects with a RangeError', async (_, call) => {
      await expect(call(await open())).rejects.toBeInstanceOf(RangeError)
    })

    test('a closed queue rejects every call with GW_ERR_QUEUE_UNAVAILABLE', async () => {
      const q = await open()
      await q.close()
      await q.close()
      const calls = [() => q.put([makeAlert()]), () => q.open(), () => q.get('k'), () => q.list(), () => q.read('c', 1),
        () => q.ack('c', 1), () => q.changesSince(0, 1), () => q.stats()]
      for (const call of calls) await expect(call()).rejects.toMatchObject({ code: 'GW_ERR_QUEUE_UNAVAILABLE' })
    })
  })
}
