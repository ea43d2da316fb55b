import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SLA, type AlertCategory, type Community, type Device, type Severity, type SlaRow } from '@gangwan/contracts'
import type { MetricsGroup } from '../src/index.ts'
import { alertOf, BACKENDS, demoCommunity, manualClock, openDispatch, user, type DispatchFixture } from './support/dispatch-fixture.ts'

// The reference community closed the loop on 37,200 events in its first year (DOMAIN.md, reference
// community). This test runs as many through the real service and SQLite, acting on each at seeded
// times, and checks the metrics against numbers the test computes itself from what it did.
const EVENTS = 37_200
/**
 * PostgreSQL commits every change with `synchronous_commit = on` (a WAL flush per transaction), which
 * makes the full year take over ten minutes here; it runs a tenth of the events spread over the same
 * year, enough to exercise every store path the metrics use. SQLite runs the full count.
 */
const EVENTS_BY_BACKEND = { sqlite: EVENTS, postgres: EVENTS / 10 }
const YEAR_MS = 365 * 86_400_000
/** 2025-01-01 00:00 Asia/Shanghai. */
const START = Date.UTC(2024, 11, 31, 16, 0, 0)

/** mulberry32: a small seeded generator, so the year is the same on every run. */
function rng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const MIX: Array<{ category: AlertCategory; share: number; kind: Device['kind']; ruleId: string; severities: Severity[] }> = [
  { category: 'device_health', share: 0.40, kind: 'fire', ruleId: 'health.offline', severities: ['P3', 'P4'] },
  { category: 'fire', share: 0.15, kind: 'fire', ruleId: 'fire.smoke', severities: ['P1', 'P2', 'P2', 'P2'] },
  { category: 'elevator', share: 0.15, kind: 'elevator', ruleId: 'elevator.trapped_at_landing', severities: ['P1', 'P2', 'P3'] },
  { category: 'noise', share: 0.15, kind: 'noise', ruleId: 'noise.period_leq', severities: ['P3'] },
  { category: 'fume', share: 0.10, kind: 'fume', ruleId: 'fume.exceedance', severities: ['P3'] },
  { category: 'falling_object', share: 0.05, kind: 'falling_object', ruleId: 'falling_object.thrown', severities: ['P1', 'P2'] }
]

type Step = 'accept' | 'arrive' | 'resolve' | 'verify' | 'close' | 'false_alarm' | 'reject'
/** What the test plans for one event, and from which it computes the expected metrics. */
interface Plan {
  at: number
  category: AlertCategory
  severity: Severity
  device: Device
  /** Steps with their delays (ms) from the previous step. */
  steps: Array<{ step: Step; delay: number }>
  satisfied?: boolean
}

const slaOf = (category: AlertCategory, severity: Severity): SlaRow =>
  DEFAULT_SLA.find((r) => (r.categories === undefined || r.categories.includes(category)) && (r.severities === undefined || r.severities.includes(severity)))!

/** A delay on time (below the limit) or late (above it), never equal to it. */
const delay = (r: () => number, limitS: number, late: boolean): number => Math.round((late ? limitS * (1.05 + r()) : limitS * (0.05 + 0.9 * r())) * 1000)

function planYear (community: Community, events: number): Plan[] {
  const r = rng(37_200)
  const byKind = new Map<string, Device[]>()
  for (const d of community.devices) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d])
  const plans: Plan[] = []
  for (let i = 0; i < events; i++) {
    let x = r()
    const mix = MIX.find((m) => (x -= m.share) < 0) ?? MIX[0]!
    const devices = byKind.get(mix.kind)!
    const severity = mix.severities[Math.floor(r() * mix.severities.length)]!
    const sla = slaOf(mix.category, severity)
    const steps: Plan['steps'] = []
    const fate = r()
    // 3 % never accepted: the dispatcher closes them as false alarms once they have escalated;
    // 8 % false alarms found on acceptance; 2 % resolved but not yet verified; the rest closed.
    if (fate < 0.03) steps.push({ step: 'false_alarm', delay: Math.round(sla.acceptS * 2500) })
    else {
      steps.push({ step: 'accept', delay: delay(r, sla.acceptS, r() < 0.06) })
      if (fate < 0.11) steps.push({ step: 'false_alarm', delay: 30_000 })
      else {
        steps.push({ step: 'arrive', delay: delay(r, sla.arriveS, r() < 0.08) })
        steps.push({ step: 'resolve', delay: delay(r, sla.resolveS, r() < 0.05) })
        if (r() < 0.04) {
          steps.push({ step: 'reject', delay: 600_000 })
          steps.push({ step: 'resolve', delay: delay(r, sla.resolveS, r() < 0.2) })
        }
        if (fate >= 0.13) {
          steps.push({ step: 'verify', delay: 300_000 })
          steps.push({ step: 'close', delay: 60_000 })
        }
      }
    }
    const rated = r() < 0.7
    plans.push({
      at: START + Math.floor((i * YEAR_MS) / events) + Math.floor(r() * 60_000),
      category: mix.category, severity, device: devices[Math.floor(r() * devices.length)]!, steps,
      ...(rated ? { satisfied: r() < 0.97 } : {})
    })
  }
  return plans
}

/** The expected counts of a set of planned incidents, computed from the plans alone. */
function expectedCounts (plans: Plan[]): Partial<MetricsGroup> {
  const c = { incidents: 0, dispatched: 0, accepted: 0, acceptedOnTime: 0, arrived: 0, arrivedOnTime: 0, resolved: 0, closed: 0, closedOnTime: 0, falseAlarms: 0, reworked: 0, rated: 0, satisfied: 0 }
  for (const p of plans) {
    const sla = slaOf(p.category, p.severity)
    const has = (s: Step): boolean => p.steps.some((x) => x.step === s)
    const d = (s: Step): number[] => p.steps.filter((x) => x.step === s).map((x) => x.delay)
    c.incidents++; c.dispatched++
    if (has('accept')) { c.accepted++; if (d('accept')[0]! < sla.acceptS * 1000) c.acceptedOnTime++ }
    if (has('arrive')) { c.arrived++; if (d('arrive')[0]! < sla.arriveS * 1000) c.arrivedOnTime++ }
    if (has('resolve')) c.resolved++
    if (has('false_alarm')) c.falseAlarms++
    if (has('reject')) c.reworked++
    if (has('close')) {
      c.closed++
      if (d('resolve').every((x) => x < sla.resolveS * 1000)) c.closedOnTime++
      if (p.satisfied !== undefined) { c.rated++; if (p.satisfied) c.satisfied++ }
    }
  }
  return c
}

describe.each(BACKENDS)('a simulated year of events through dispatch on real %s', (backend) => {
  let fx: DispatchFixture
  let plans: Plan[]
  let dir: string
  beforeAll(async () => {
    // No merging: every event is its own incident, so the expected numbers follow from the plans alone.
    // No whistle cap either: an arrive limit then depends only on the incident's category and severity.
    const community = await demoCommunity((raw) => { raw.dispatch = { merge: [], whistleTier: 99 } })
    // tmpfs: the test is about the numbers, not about fsync (the durability tests cover that).
    dir = await mkdtemp(join('/dev/shm', 'gangwan-year-'))
    fx = await openDispatch(community, { backend, dir, clock: manualClock(START) })
    plans = planYear(community, EVENTS_BY_BACKEND[backend])
  })
  afterAll(async () => {
    await fx?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('works every event at its planned times and reports the metrics a hand count gives', async () => {
    const { clock, queue, dispatch, community } = fx
    // One timeline of everything that happens, in time order.
    type Happening = { at: number; plan: number; step: number }
    const happenings: Happening[] = []
    plans.forEach((p, i) => {
      happenings.push({ at: p.at, plan: i, step: -1 })
      let t = p.at
      p.steps.forEach((s, k) => { t += s.delay; happenings.push({ at: t, plan: i, step: k }) })
    })
    happenings.sort((a, b) => a.at - b.at || a.plan - b.plan || a.step - b.step)
    const ids: string[] = []
    const versions: number[] = []
    // Each event's alert episode is over when dispatch sees it (cleared), so a device's next event
    // is a new episode rather than a second open one, which the queue would refuse.
    const alerts = plans.map((p, i) => ({
      ...alertOf(community, p.device, { ruleId: MIX.find((m) => m.category === p.category)!.ruleId, category: p.category, severity: p.severity, openedAt: p.at + i % 1000 }),
      state: 'cleared' as const,
      clearedAt: p.at + i % 1000 + 1000
    }))
    let pendingAlerts: number[] = []
    let created = 0
    const flush = async (): Promise<void> => {
      if (pendingAlerts.length === 0) return
      await queue.put(pendingAlerts.map((i) => alerts[i]!))
      await dispatch.pump()
      pendingAlerts = []
    }
    for (const h of happenings) {
      clock.set(h.at)
      const p = plans[h.plan]!
      if (h.step === -1) {
        pendingAlerts.push(h.plan)
        await flush()
        // No merging: every alert opens the next incident id; its one alert link proves it.
        const id = `INC-${String(++created).padStart(6, '0')}`
        expect((await dispatch.alerts(id)).map((l) => l.alert.key)).toEqual([alerts[h.plan]!.key])
        ids[h.plan] = id
        continue
      }
      // Deadlines that passed before this moment escalate first, as the timer would have done.
      await dispatch.tick()
      const s = p.steps[h.step]!
      const actor = s.step === 'verify' || s.step === 'close' || s.step === 'reject' ? user('op-1', 'operator') : user('h-1', 'handler')
      const action = s.step === 'resolve' ? { type: 'resolve' as const, note: 'done' }
        : s.step === 'false_alarm' ? { type: 'false_alarm' as const, reason: 'no fire found' }
          : s.step === 'reject' ? { type: 'reject' as const, reason: 'not fixed' }
            : s.step === 'close' ? { type: 'close' as const, ...(p.satisfied !== undefined ? { satisfied: p.satisfied } : {}) }
              : { type: s.step }
      const done = await dispatch.act(ids[h.plan]!, action, actor)
      expect(done.version).toBeGreaterThan(versions[h.plan] ?? 0)
      versions[h.plan] = done.version
    }
    clock.set(START + YEAR_MS)
    await dispatch.tick()

    const total = await dispatch.metrics({})
    expect(total.total.incidents).toBe(EVENTS_BY_BACKEND[backend])
    expect(total.total).toMatchObject(expectedCounts(plans))

    const byCategory = await dispatch.metrics({ groupBy: 'category' })
    for (const m of MIX) {
      const group = byCategory.groups.find((g) => g.key === m.category)!
      const mine = plans.filter((p) => p.category === m.category)
      const expected = expectedCounts(mine)
      expect(group).toMatchObject(expected)
      expect(group.acceptanceRate).toBeCloseTo(expected.accepted! / expected.dispatched!, 10)
      expect(group.onTimeClosureRate).toBeCloseTo(expected.closedOnTime! / expected.closed!, 10)
      expect(group.satisfactionRate).toBeCloseTo(expected.satisfied! / expected.rated!, 10)
      // Mean time to accept, from the plans' own delays (dispatch happens when the alert arrives).
      const accepts = mine.flatMap((p) => p.steps.filter((s) => s.step === 'accept').map((s) => s.delay))
      expect(group.meanTimeToAcceptS).toBeCloseTo(accepts.reduce((a, b) => a + b, 0) / accepts.length / 1000, 3)
    }

    const monthly = await dispatch.metrics({ groupBy: 'period', period: 'month' })
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    const perMonth = new Map<string, Plan[]>()
    for (const p of plans) {
      const parts = month.formatToParts(p.at)
      const key = `${parts.find((x) => x.type === 'year')!.value}-${parts.find((x) => x.type === 'month')!.value}`
      perMonth.set(key, [...(perMonth.get(key) ?? []), p])
    }
    expect(monthly.groups.map((g) => g.key)).toEqual([...perMonth.keys()].sort())
    for (const g of monthly.groups) expect(g).toMatchObject(expectedCounts(perMonth.get(g.key)!))
  }, 600_000)
})
