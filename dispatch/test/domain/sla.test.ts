import { describe, expect, test } from 'vitest'
import { CommunitySchema, DispatchSettingsSchema } from '@gangwan/contracts'
import type { Incident } from '@gangwan/contracts'
import { applyAction, escalate, routeIncident, slaRow, stepLimitMs } from '../../src/domain/index.ts'
import { community, communityInput, makeIncident } from './fixtures.ts'

const S = 1000
const settings = community.dispatch
const T = 1_763_800_000_000

describe('slaRow and stepLimitMs', () => {
  test.each([
    ['fire', 'P1', { acceptS: 60, arriveS: 300, resolveS: 7_200 }],
    ['fire', 'P2', { acceptS: 180, arriveS: 900, resolveS: 7_200 }],
    ['elevator', 'P1', { acceptS: 300, arriveS: 1_800, resolveS: 7_200 }],
    ['falling_object', 'P1', { acceptS: 300, arriveS: 1_800, resolveS: 7_200 }],
    ['fume', 'P2', { acceptS: 1_800, arriveS: 7_200, resolveS: 86_400 }],
    ['noise', 'P3', { acceptS: 7_200, arriveS: 86_400, resolveS: 604_800 }],
    ['device_health', 'P4', { acceptS: 86_400, arriveS: 259_200, resolveS: 604_800 }]
  ] as const)('%s %s → the first row that fits', (category, severity, limits) => {
    expect(slaRow(settings, category, severity)).toMatchObject(limits)
  })

  test('bare settings without a catch-all row fall back to the last row', () => {
    const bare = DispatchSettingsSchema.parse({ sla: [{ categories: ['fire'], acceptS: 10, arriveS: 20, resolveS: 30 }, { severities: ['P1'], acceptS: 1, arriveS: 2, resolveS: 3 }] })
    expect(slaRow(bare, 'noise', 'P4').acceptS).toBe(1)
  })

  test('a department whistled in at tier 2 or above must arrive within 30 min; other steps and tiers keep their limit', () => {
    const noise = { category: 'noise', severity: 'P3' } as const
    expect(stepLimitMs(settings, noise, 'arrive', 0)).toBe(86_400 * S)
    expect(stepLimitMs(settings, noise, 'arrive', 1)).toBe(86_400 * S)
    expect(stepLimitMs(settings, noise, 'arrive', 2)).toBe(1_800 * S)
    expect(stepLimitMs(settings, noise, 'arrive', 3)).toBe(1_800 * S)
    expect(stepLimitMs(settings, noise, 'accept', 3)).toBe(7_200 * S)
    expect(stepLimitMs(settings, noise, 'resolve', 3)).toBe(604_800 * S)
    // A limit already under the cap stays.
    expect(stepLimitMs(settings, { category: 'fire', severity: 'P1' }, 'arrive', 2)).toBe(300 * S)
  })
})

describe('escalate', () => {
  const fire = makeIncident({ severity: 'P1', dispatchedAt: T, deadline: { step: 'accept', tier: 0, dueAt: T + 60 * S } })
  const route = routeIncident(fire, ['fire.confirmed'], community)

  test('nothing before the deadline, without a deadline, or when final', () => {
    expect(escalate(fire, T + 60 * S - 1, { community, route })).toBeUndefined()
    const { deadline: _, ...noDeadline } = fire
    expect(escalate(noDeadline, T + 600 * S, { community, route })).toBeUndefined()
    expect(escalate({ ...fire, status: 'closed' }, T + 600 * S, { community, route })).toBeUndefined()
    expect(escalate({ ...fire, status: 'false_alarm' }, T + 600 * S, { community, route })).toBeUndefined()
  })

  test('climbs the tiers one at a time, then re-notifies the top tier', () => {
    expect(route?.escalation).toEqual(['C-1', 'S-1', 'D-1'])
    let incident: Incident = fire
    let now = T + 135 * S
    const steps: Array<{ tier: number; escalatedTo: string[]; reason?: string; repeat?: unknown }> = []
    for (let i = 0; i < 5; i++) {
      const m = escalate(incident, now, { community, route })
      if (m === undefined) throw new Error(`no escalation at round ${i}`)
      expect(m.incident).toMatchObject({ status: 'dispatched', department: 'FCR-1', version: incident.version + 1, updatedAt: now, missed: ['accept'] })
      expect(m.incident.deadline).toEqual({ step: 'accept', tier: m.incident.tier, dueAt: now + 60 * S, startedAt: now })
      expect(m.audit).toHaveLength(1)
      expect(m.audit[0]).toMatchObject({ at: now, actor: { type: 'system', id: 'sla' }, event: 'escalated', fromStatus: 'dispatched', toStatus: 'dispatched' })
      steps.push({ tier: m.incident.tier, escalatedTo: m.incident.escalatedTo, reason: m.audit[0]?.reason, repeat: m.audit[0]?.details.repeat })
      incident = m.incident
      now = (incident.deadline?.dueAt ?? 0) + 5 * S
    }
    expect(steps).toEqual([
      { tier: 1, escalatedTo: ['C-1'], reason: 'accept deadline missed by 75 s: escalated to community C-1 (tier 1)', repeat: undefined },
      { tier: 2, escalatedTo: ['C-1', 'S-1'], reason: 'accept deadline missed by 5 s: escalated to street S-1 (tier 2)', repeat: undefined },
      { tier: 3, escalatedTo: ['C-1', 'S-1', 'D-1'], reason: 'accept deadline missed by 5 s: escalated to district D-1 (tier 3)', repeat: undefined },
      { tier: 3, escalatedTo: ['C-1', 'S-1', 'D-1'], reason: 'accept deadline missed by 5 s at the top tier: district D-1 notified again (tier 3)', repeat: true },
      { tier: 3, escalatedTo: ['C-1', 'S-1', 'D-1'], reason: 'accept deadline missed by 5 s at the top tier: district D-1 notified again (tier 3)', repeat: true }
    ])
  })

  test('records the escalation target, tier and lateness in the details', () => {
    const m = escalate(fire, T + 135 * S, { community, route })
    expect(m?.audit[0]?.details).toEqual({ step: 'accept', tier: 1, department: 'C-1', lateByMs: 75 * S })
  })

  test('each missed step is recorded once, whatever the tier', () => {
    const arriving = makeIncident({ status: 'accepted', severity: 'P1', tier: 1, escalatedTo: ['C-1'], missed: ['accept'], acceptedAt: T, deadline: { step: 'arrive', tier: 1, dueAt: T + 300 * S } })
    const m = escalate(arriving, T + 301 * S, { community, route })
    expect(m?.incident.missed).toEqual(['accept', 'arrive'])
    expect(m?.incident.status).toBe('accepted')
  })

  test('an arrive deadline escalated to the whistle tier gets the 30 min cap', () => {
    const noise = makeIncident({ category: 'noise', severity: 'P3', status: 'accepted', department: 'UM-1', location: { grid: 'G02', building: 'B05' }, tier: 1, escalatedTo: ['S-1'], acceptedAt: T, deadline: { step: 'arrive', tier: 1, dueAt: T + 86_400 * S } })
    const noiseRoute = routeIncident(noise, ['noise.leq'], community)
    expect(noiseRoute?.escalation).toEqual(['S-1', 'D-1'])
    const now = T + 86_400 * S
    expect(escalate(noise, now, { community, route: noiseRoute })?.incident.deadline).toEqual({ step: 'arrive', tier: 2, dueAt: now + 1_800 * S, startedAt: now })
  })

  test('acceptance at the whistle tier starts an arrive deadline capped at 30 min', () => {
    const noise = makeIncident({ category: 'noise', severity: 'P3', department: 'UM-1', tier: 2, escalatedTo: ['S-1', 'D-1'], deadline: { step: 'accept', tier: 2, dueAt: T + 7_200 * S } })
    const accepted = applyAction(noise, { type: 'accept' }, { type: 'user', id: 'UM-1-h1' }, T + 100 * S, { community })
    expect(accepted.incident.deadline).toEqual({ step: 'arrive', tier: 2, dueAt: T + 100 * S + 1_800 * S, startedAt: T + 100 * S })
  })

  test('without escalation tiers the deadline is renewed and the working department told again', () => {
    const m = escalate(fire, T + 61 * S, { community, route: undefined })
    expect(m?.incident).toMatchObject({ tier: 0, escalatedTo: [], missed: ['accept'], deadline: { step: 'accept', tier: 0, dueAt: T + 121 * S } })
    expect(m?.audit[0]?.details).toEqual({ step: 'accept', tier: 0, department: 'FCR-1', lateByMs: 1 * S, repeat: true })
  })

  test('uses the community\'s own SLA and whistle settings', () => {
    const strict = CommunitySchema.parse(communityInput({ dispatch: { sla: [{ acceptS: 5, arriveS: 50, resolveS: 500 }], whistleTier: 1, whistleArriveS: 20 } }))
    const m = escalate(makeIncident({ status: 'accepted', deadline: { step: 'arrive', tier: 0, dueAt: T } }), T, { community: strict, route: { rule: 'x', notify: [], escalation: ['S-1'], autoDispatch: true } })
    expect(m?.incident.deadline).toEqual({ step: 'arrive', tier: 1, dueAt: T + 20 * S, startedAt: T })
  })
})
