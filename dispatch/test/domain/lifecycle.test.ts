import { describe, expect, test } from 'vitest'
import { GangwanError, IncidentSchema, INCIDENT_STATUSES } from '@gangwan/contracts'
import type { Actor, Incident, IncidentAction, IncidentActionType, IncidentStatus } from '@gangwan/contracts'
import { allowedActions, applyAction, routeIncident } from '../../src/domain/index.ts'
import { community, makeIncident } from './fixtures.ts'

const S = 1000
const T = 1_763_800_000_000
const dispatcher: Actor = { type: 'user', id: 'op-wang', role: 'dispatcher' }
const handler: Actor = { type: 'user', id: 'FCR-1-h2', role: 'handler' }

function codeOf (fn: () => unknown): string | undefined {
  try { fn() } catch (e) { return e instanceof GangwanError ? e.code : `not a GangwanError: ${String(e)}` }
  return undefined
}

const fresh = (): Incident => {
  const { department: _d, dispatchedAt: _t, deadline: _l, ...rest } = makeIncident({ status: 'new', version: 1 })
  return rest
}

describe('applyAction along the closed loop', () => {
  test('new → dispatched → accepted → handling → resolved → verified → closed', () => {
    const route = routeIncident(fresh(), ['fire.smoke'], community)
    const trail: Incident[] = [fresh()]
    const act = (action: IncidentAction, actor: Actor, at: number, env: { route?: typeof route; handler?: string } = {}): Incident => {
      const before = trail.at(-1) as Incident
      const m = applyAction(before, action, actor, at, { community, ...env })
      expect(IncidentSchema.safeParse(m.incident).success).toBe(true)
      expect(m.incident.version).toBe(before.version + 1)
      expect(m.incident.updatedAt).toBe(at)
      expect(m.audit).toHaveLength(1)
      expect(m.audit[0]).toMatchObject({ at, actor, event: action.type, fromStatus: before.status, toStatus: m.incident.status })
      trail.push(m.incident)
      return m.incident
    }

    const d = act({ type: 'dispatch', note: 'smoke on 12F' }, dispatcher, T, { route, handler: 'FCR-1-h1' })
    expect(d).toMatchObject({ status: 'dispatched', department: 'FCR-1', handler: 'FCR-1-h1', routingRule: 'fire', dispatchedAt: T, tier: 0, deadline: { step: 'accept', tier: 0, dueAt: T + 180 * S } })

    const a = act({ type: 'accept' }, handler, T + 30 * S)
    // The handler who accepts takes it over.
    expect(a).toMatchObject({ status: 'accepted', handler: 'FCR-1-h2', acceptedAt: T + 30 * S, deadline: { step: 'arrive', tier: 0, dueAt: T + 30 * S + 900 * S } })

    const h = act({ type: 'arrive', note: 'on 12F' }, handler, T + 200 * S)
    expect(h).toMatchObject({ status: 'handling', arrivedAt: T + 200 * S, deadline: { step: 'resolve', tier: 0, dueAt: T + 200 * S + 7_200 * S } })

    const r = act({ type: 'resolve', note: 'burnt toast, aired the flat', evidence: 'photo/123.jpg' }, handler, T + 900 * S)
    expect(r).toMatchObject({ status: 'resolved', resolvedAt: T + 900 * S, feedback: { note: 'burnt toast, aired the flat', evidence: 'photo/123.jpg', by: 'FCR-1-h2', at: T + 900 * S } })
    expect(r.deadline).toBeUndefined()

    const v = act({ type: 'verify' }, dispatcher, T + 1_000 * S)
    expect(v).toMatchObject({ status: 'verified', verifiedAt: T + 1_000 * S })

    const c = act({ type: 'close', satisfied: true, note: 'resident called back' }, dispatcher, T + 1_100 * S)
    expect(c).toMatchObject({ status: 'closed', closedAt: T + 1_100 * S, satisfied: true })
    expect(c.deadline).toBeUndefined()
  })

  test('audit entries carry the note or reason and the details', () => {
    const route = routeIncident(fresh(), [], community)
    const d = applyAction(fresh(), { type: 'dispatch', note: 'go', handler: 'FCR-1-h2' }, dispatcher, T, { community, route })
    expect(d.audit[0]).toEqual({ at: T, actor: dispatcher, event: 'dispatch', fromStatus: 'new', toStatus: 'dispatched', reason: 'go', details: { department: 'FCR-1', handler: 'FCR-1-h2', routingRule: 'fire' } })
    const handling = makeIncident({ status: 'handling', handler: 'FCR-1-h1' })
    const r = applyAction(handling, { type: 'resolve', note: 'done', evidence: 'clip/9' }, handler, T, { community })
    expect(r.audit[0]).toMatchObject({ reason: 'done', details: { evidence: 'clip/9' } })
    const c = applyAction({ ...handling, status: 'verified' }, { type: 'close', satisfied: false }, dispatcher, T, { community })
    expect(c.audit[0]?.details).toEqual({ satisfied: false })
    expect(c.audit[0]?.reason).toBeUndefined()
    expect(c.incident.satisfied).toBe(false)
  })

  test('accept keeps the assigned handler when the actor is not one of the department\'s; an explicit handler wins', () => {
    const dispatched = makeIncident({ handler: 'FCR-1-h1' })
    expect(applyAction(dispatched, { type: 'accept' }, dispatcher, T, { community }).incident.handler).toBe('FCR-1-h1')
    expect(applyAction(dispatched, { type: 'accept' }, { type: 'user', id: 'EM-1-h1' }, T, { community }).incident.handler).toBe('FCR-1-h1')
    expect(applyAction(dispatched, { type: 'accept', handler: 'FCR-1-h2' }, dispatcher, T, { community }).incident.handler).toBe('FCR-1-h2')
  })

  test('reject sends a resolved incident back on site as rework with a fresh resolve deadline', () => {
    const resolved = makeIncident({ status: 'resolved', acceptedAt: T, arrivedAt: T + 60 * S, resolvedAt: T + 600 * S, deadline: undefined, feedback: { note: 'fixed', by: 'FCR-1-h1', at: T + 600 * S } })
    delete resolved.deadline
    const m = applyAction(resolved, { type: 'reject', reason: 'still smells of smoke' }, dispatcher, T + 700 * S, { community })
    expect(m.incident).toMatchObject({ status: 'handling', reworkCount: 1, deadline: { step: 'resolve', tier: 0, dueAt: T + 700 * S + 7_200 * S } })
    expect(m.incident.resolvedAt).toBeUndefined()
    expect('resolvedAt' in m.incident).toBe(false)
    expect(m.audit[0]).toMatchObject({ event: 'reject', reason: 'still smells of smoke', details: { reworkCount: 1 } })
  })

  test.each(['new', 'dispatched', 'accepted', 'handling', 'resolved', 'verified'] as const)('false_alarm from %s ends the loop and stops the clock', (status) => {
    const m = applyAction(makeIncident({ status }), { type: 'false_alarm', reason: 'cooking steam' }, dispatcher, T + 50 * S, { community })
    expect(m.incident).toMatchObject({ status: 'false_alarm', falseAlarmReason: 'cooking steam', closedAt: T + 50 * S })
    expect(m.incident.deadline).toBeUndefined()
    expect(m.audit[0]).toMatchObject({ event: 'false_alarm', fromStatus: status, toStatus: 'false_alarm', reason: 'cooking steam' })
  })
})

describe('re-dispatch and reopen', () => {
  test('re-dispatching an accepted incident to another department resets the tier and the acceptance', () => {
    const accepted = makeIncident({ status: 'accepted', handler: 'FCR-1-h1', acceptedAt: T + 10 * S, tier: 1, escalatedTo: ['C-1'], routingRule: 'fire', deadline: { step: 'arrive', tier: 1, dueAt: T + 910 * S } })
    const route = routeIncident(accepted, [], community)
    const m = applyAction(accepted, { type: 'dispatch', department: 'P-1', handler: 'P-1-h2' }, dispatcher, T + 100 * S, { community, route, handler: 'FCR-1-h2' })
    expect(m.incident).toMatchObject({ status: 'dispatched', department: 'P-1', handler: 'P-1-h2', tier: 0, escalatedTo: [], dispatchedAt: T + 100 * S, deadline: { step: 'accept', tier: 0, dueAt: T + 100 * S + 180 * S } })
    expect(m.incident.acceptedAt).toBeUndefined()
    // A department the dispatcher chose is not the routing rule's pick.
    expect(m.incident.routingRule).toBeUndefined()
    // A suggested handler of another department is ignored rather than assigned.
    const other = applyAction(accepted, { type: 'dispatch', department: 'P-1' }, dispatcher, T + 100 * S, { community, route, handler: 'FCR-1-h2' })
    expect(other.incident.handler).toBeUndefined()
  })

  test('reopen dispatches a closed incident again to its department, clearing the previous round', () => {
    const closed = makeIncident({
      status: 'closed', handler: 'FCR-1-h1', tier: 2, escalatedTo: ['C-1', 'S-1'], acceptedAt: T + 10 * S, arrivedAt: T + 100 * S, resolvedAt: T + 500 * S,
      verifiedAt: T + 600 * S, closedAt: T + 700 * S, satisfied: false, missed: ['accept'], feedback: { note: 'done', by: 'FCR-1-h1', at: T + 500 * S }
    })
    delete closed.deadline
    const m = applyAction(closed, { type: 'reopen', reason: 'smoke again' }, dispatcher, T + 5_000 * S, { community })
    expect(m.incident).toEqual({
      ...makeIncident(), handler: 'FCR-1-h1', version: closed.version + 1, updatedAt: T + 5_000 * S, reworkCount: 1, missed: ['accept'],
      dispatchedAt: T + 5_000 * S, deadline: { step: 'accept', tier: 0, dueAt: T + 5_000 * S + 180 * S, startedAt: T + 5_000 * S }
    })
    expect(m.audit[0]).toMatchObject({ event: 'reopen', fromStatus: 'closed', toStatus: 'dispatched', reason: 'smoke again', details: { department: 'FCR-1', reworkCount: 1, handler: 'FCR-1-h1' } })
  })

  test('reopening a false alarm that never had a department routes it, or fails without a route', () => {
    const falseAlarm: Incident = { ...fresh(), status: 'false_alarm', falseAlarmReason: 'test', closedAt: T }
    const route = routeIncident(falseAlarm, [], community)
    const m = applyAction(falseAlarm, { type: 'reopen', reason: 'it was real' }, dispatcher, T + 60 * S, { community, route, handler: 'FCR-1-h2' })
    expect(m.incident).toMatchObject({ status: 'dispatched', department: 'FCR-1', handler: 'FCR-1-h2', routingRule: 'fire', reworkCount: 1 })
    expect(m.incident.falseAlarmReason).toBeUndefined()
    expect(m.incident.closedAt).toBeUndefined()
    expect(codeOf(() => applyAction(falseAlarm, { type: 'reopen', reason: 'x' }, dispatcher, T, { community }))).toBe('GW_ERR_DISPATCH_NO_ROUTE')
  })
})

describe('manual escalation', () => {
  test('climbs one tier of the route\'s ladder now, keeps the status and restarts the running step at the new tier', () => {
    const accepted = makeIncident({ status: 'accepted', handler: 'FCR-1-h1', acceptedAt: T, deadline: { step: 'arrive', tier: 0, dueAt: T + 900 * S } })
    const route = routeIncident(accepted, [], community)!
    expect(route.escalation.length).toBeGreaterThan(0)
    const m = applyAction(accepted, { type: 'escalate', reason: 'the control room does not answer' }, dispatcher, T + 60 * S, { community, route })
    expect(m.incident).toMatchObject({ status: 'accepted', tier: 1, escalatedTo: [route.escalation[0]], deadline: { step: 'arrive', tier: 1 } })
    expect(m.incident.deadline!.dueAt).toBeGreaterThan(T + 60 * S)
    expect(m.audit).toEqual([expect.objectContaining({ event: 'escalated', actor: dispatcher, fromStatus: 'accepted', toStatus: 'accepted', reason: 'the control room does not answer', details: { tier: 1, department: route.escalation[0], manual: true } })])
  })

  test('is refused at the top of the ladder', () => {
    const route = routeIncident(makeIncident(), [], community)!
    const top = makeIncident({ status: 'dispatched', tier: route.escalation.length, escalatedTo: [...route.escalation] })
    expect(codeOf(() => applyAction(top, { type: 'escalate', reason: 'again' }, dispatcher, T, { community, route }))).toBe('GW_ERR_DISPATCH_INVALID_TRANSITION')
    expect(codeOf(() => applyAction(makeIncident({ status: 'dispatched' }), { type: 'escalate', reason: 'no ladder' }, dispatcher, T, { community }))).toBe('GW_ERR_DISPATCH_INVALID_TRANSITION')
  })
})

describe('refused actions', () => {
  // Written out by hand (not read from the implementation's table) so the test can disagree with it.
  const ALLOWED: Record<IncidentStatus, IncidentActionType[]> = {
    new: ['dispatch', 'false_alarm'],
    dispatched: ['dispatch', 'escalate', 'accept', 'false_alarm'],
    accepted: ['dispatch', 'escalate', 'arrive', 'false_alarm'],
    handling: ['escalate', 'resolve', 'false_alarm'],
    resolved: ['verify', 'reject', 'false_alarm'],
    verified: ['close', 'false_alarm'],
    closed: ['reopen'],
    false_alarm: ['reopen']
  }
  const SAMPLE: Record<IncidentActionType, IncidentAction> = {
    dispatch: { type: 'dispatch', department: 'FCR-1' },
    escalate: { type: 'escalate', reason: 'no answer' },
    accept: { type: 'accept' },
    arrive: { type: 'arrive' },
    resolve: { type: 'resolve', note: 'done' },
    verify: { type: 'verify' },
    reject: { type: 'reject', reason: 'not done' },
    close: { type: 'close' },
    false_alarm: { type: 'false_alarm', reason: 'steam' },
    reopen: { type: 'reopen', reason: 'again' }
  }
  const refused = INCIDENT_STATUSES.flatMap((status) => (Object.keys(SAMPLE) as IncidentActionType[]).filter((a) => !ALLOWED[status].includes(a)).map((a) => [a, status] as const))

  test('allowedActions lists what each status allows', () => {
    for (const status of INCIDENT_STATUSES) expect(allowedActions({ status })).toEqual(ALLOWED[status])
  })

  test('every allowed pair is accepted', () => {
    for (const status of INCIDENT_STATUSES) {
      const route = routeIncident(makeIncident({ status }), [], community)
      for (const a of ALLOWED[status]) expect(applyAction(makeIncident({ status }), SAMPLE[a], dispatcher, T, { community, route }).incident.version).toBe(3)
    }
  })

  test.each(refused)('%s on a %s incident → GW_ERR_DISPATCH_INVALID_TRANSITION', (action, status) => {
    const incident = makeIncident({ status })
    expect(() => applyAction(incident, SAMPLE[action], dispatcher, T, { community })).toThrow(`cannot ${action} an incident that is ${status}`)
    expect(codeOf(() => applyAction(incident, SAMPLE[action], dispatcher, T, { community }))).toBe('GW_ERR_DISPATCH_INVALID_TRANSITION')
  })

  test.each([
    ['an unknown action type', { type: 'teleport' }, 'GW_ERR_DISPATCH_INVALID_ACTION'],
    ['escalate without a reason', { type: 'escalate' }, 'GW_ERR_DISPATCH_INVALID_ACTION'],
    ['resolve without a note', { type: 'resolve' }, 'GW_ERR_DISPATCH_INVALID_ACTION'],
    ['reject with an empty reason', { type: 'reject', reason: '' }, 'GW_ERR_DISPATCH_INVALID_ACTION'],
    ['an unknown field', { type: 'accept', priority: 1 }, 'GW_ERR_DISPATCH_INVALID_ACTION'],
    ['a malformed department id', { type: 'dispatch', department: 'no spaces' }, 'GW_ERR_DISPATCH_INVALID_ACTION']
  ])('%s → %s', (_, action, code) => {
    expect(codeOf(() => applyAction(makeIncident(), action as IncidentAction, dispatcher, T, { community }))).toBe(code)
  })

  test.each([
    ['dispatch to an unknown department', fresh(), { type: 'dispatch', department: 'NOPE' }, 'GW_ERR_DISPATCH_INVALID_ACTION'],
    ['dispatch with a handler of another department', fresh(), { type: 'dispatch', department: 'FCR-1', handler: 'EM-1-h1' }, 'GW_ERR_DISPATCH_INVALID_ACTION'],
    ['dispatch with neither a department nor a route', fresh(), { type: 'dispatch' }, 'GW_ERR_DISPATCH_NO_ROUTE'],
    ['accept for a handler of another department', makeIncident(), { type: 'accept', handler: 'EM-1-h1' }, 'GW_ERR_DISPATCH_INVALID_ACTION']
  ] as const)('%s → %s', (_, incident, action, code) => {
    expect(codeOf(() => applyAction(incident, action, dispatcher, T, { community }))).toBe(code)
  })

  test('the input incident is never modified', () => {
    const incident = makeIncident({ status: 'resolved', resolvedAt: T })
    const copy = structuredClone(incident)
    applyAction(incident, { type: 'reject', reason: 'no' }, dispatcher, T + 1, { community })
    expect(incident).toEqual(copy)
  })
})
