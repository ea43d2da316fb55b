import { describe, expect, test } from 'vitest'
import { DispatchSettingsSchema, IncidentSchema } from '@gangwan/contracts'
import type { Alert } from '@gangwan/contracts'
import { applyAction, planAlert, routeIncident } from '../../src/domain/index.ts'
import { community, createIncidentBook, makeAlert, makeIncident, mergeSettings, next, T0 } from './fixtures.ts'

const S = 1000
const smoke = (device: string, at: number, location: Alert['location'] = { grid: 'G01', building: 'B03', floor: 12, zone: 'Z12' }): Alert =>
  makeAlert({ subject: device, device, openedAt: at, location })
const fireMode = (at: number): Alert => makeAlert({
  ruleId: 'elevator.fire_mode', subject: 'B03-L1-C', device: 'B03-L1-C', kind: 'elevator', title: 'Elevator in fire-service mode',
  openedAt: at, location: { grid: 'G01', building: 'B03', elevator: 'L1', floor: 1 }
})
const confirmed = (at: number): Alert => makeAlert({
  ruleId: 'fire.confirmed', subject: 'B03/Z12', device: 'B03-F12-S01', severity: 'P1', title: 'Confirmed fire', openedAt: at
})

describe('planAlert: the issue\'s fire on floor 12 of B03', () => {
  const book = createIncidentBook(mergeSettings)
  const wall = (at: number): number => at + 50

  test('the first smoke detector opens an incident named after the first merge rule that applies', () => {
    const { decision, incidentId } = book.apply(smoke('B03-F12-S01', T0), wall(T0))
    expect(decision.type).toBe('create')
    const incident = book.get(incidentId as string)
    expect(IncidentSchema.safeParse(incident).success).toBe(true)
    expect(incident).toMatchObject({
      status: 'new', version: 1, severity: 'P2', category: 'fire', title: 'Smoke pre-alarm', tier: 0, escalatedTo: [], alertCount: 1,
      devices: ['B03-F12-S01'], reworkCount: 0, createdAt: wall(T0), updatedAt: wall(T0), lastAlertAt: T0, missed: [], mergeRule: 'fire-zone',
      mergeReason: 'opened by fire.smoke on B03-F12-S01; later alerts join when: fire alerts in the same building and fire zone within 600 s',
      location: { grid: 'G01', building: 'B03', floor: 12, zone: 'Z12' }
    })
    expect(incident.deadline).toBeUndefined()
    if (decision.type !== 'create') throw new Error('unreachable')
    expect(decision.link).toEqual({ mergeRule: 'new', reason: 'opened the incident' })
    expect(decision.scopeKeys).toEqual(['fire|zone:B03/Z12', 'fire|floor:B03/12', 'fire|building:B03'])
    expect(decision.audit).toEqual([{
      at: wall(T0), actor: { type: 'system', id: 'merge' }, event: 'created', toStatus: 'new',
      reason: 'Smoke pre-alarm: opened by fire.smoke on B03-F12-S01', details: { alertKey: `fire.smoke|B03-F12-S01|${T0}`, ruleId: 'fire.smoke' }
    }])
    // The service routes and dispatches it: P2 fire → fire control room, accept within 180 s.
    const route = routeIncident(incident, ['fire.smoke'], community)
    book.put(applyAction(incident, { type: 'dispatch' }, { type: 'system', id: 'router' }, wall(T0) + 10, { community, route }).incident)
    expect(book.get('INC-1').deadline).toEqual({ step: 'accept', tier: 0, dueAt: wall(T0) + 10 + 180 * S, startedAt: wall(T0) + 10 })
  })

  test('a second detector of the zone 42 s later joins it by fire-zone', () => {
    const { decision, incidentId } = book.apply(smoke('B03-F12-S02', T0 + 42 * S), wall(T0 + 42 * S))
    expect(incidentId).toBe('INC-1')
    if (decision.type !== 'update') throw new Error(`expected update, got ${decision.type}`)
    expect(decision.link).toEqual({ mergeRule: 'fire-zone', reason: 'fire alerts in the same building and fire zone: B03/Z12, 42 s after the last' })
    expect(decision.audit).toEqual([{
      at: wall(T0 + 42 * S), actor: { type: 'system', id: 'merge' }, event: 'alert_merged', fromStatus: 'dispatched', toStatus: 'dispatched',
      reason: 'fire alerts in the same building and fire zone: B03/Z12, 42 s after the last',
      details: { alertKey: `fire.smoke|B03-F12-S02|${T0 + 42 * S}`, ruleId: 'fire.smoke', mergeRule: 'fire-zone' }
    }])
    expect(book.get('INC-1')).toMatchObject({ version: 3, alertCount: 2, devices: ['B03-F12-S01', 'B03-F12-S02'], lastAlertAt: T0 + 42 * S, updatedAt: wall(T0 + 42 * S), status: 'dispatched', severity: 'P2' })
  })

  test('a third detector on the same floor in the next zone joins it by fire-floor', () => {
    const { decision } = book.apply(smoke('B03-F12-S03', T0 + 60 * S, { grid: 'G01', building: 'B03', floor: 12, zone: 'Z13' }), wall(T0 + 60 * S))
    if (decision.type !== 'update') throw new Error(`expected update, got ${decision.type}`)
    expect(decision.link).toEqual({ mergeRule: 'fire-floor', reason: 'fire alerts on the same floor of a building: B03/12, 18 s after the last' })
    expect(book.get('INC-1')).toMatchObject({ alertCount: 3, devices: ['B03-F12-S01', 'B03-F12-S02', 'B03-F12-S03'] })
  })

  test('the elevator switching to fire mode on the ground floor joins it by elevator-fire-mode', () => {
    const { decision, incidentId } = book.apply(fireMode(T0 + 90 * S), wall(T0 + 90 * S))
    expect(incidentId).toBe('INC-1')
    if (decision.type !== 'update') throw new Error(`expected update, got ${decision.type}`)
    expect(decision.link.mergeRule).toBe('elevator-fire-mode')
    expect(decision.link.reason).toBe('an elevator switching to fire mode in a building with an open fire: B03, 30 s after the last')
    expect(book.get('INC-1')).toMatchObject({ alertCount: 4, lastAlertAt: T0 + 90 * S })
  })

  test('a fire in another building opens another incident', () => {
    const { decision, incidentId } = book.apply(smoke('B05-F03-S01', T0 + 100 * S, { grid: 'G02', building: 'B05', floor: 3, zone: 'Z03' }), wall(T0 + 100 * S))
    expect(decision.type).toBe('create')
    expect(incidentId).toBe('INC-2')
  })

  test('the confirmed fire raises the severity to P1 and shortens the accept deadline to the P1 minute', () => {
    const before = book.get('INC-1')
    const { decision } = book.apply(confirmed(T0 + 120 * S), wall(T0 + 120 * S))
    if (decision.type !== 'update') throw new Error(`expected update, got ${decision.type}`)
    expect(decision.audit.map((a) => a.event)).toEqual(['alert_merged', 'severity_raised'])
    expect(decision.audit[1]).toMatchObject({ fromStatus: 'dispatched', toStatus: 'dispatched', details: { from: 'P2', to: 'P1', ruleId: 'fire.confirmed', step: 'accept' } })
    const after = book.get('INC-1')
    expect(after.severity).toBe('P1')
    expect(after.title).toBe(confirmed(T0 + 120 * S).title)
    expect(after.title).not.toBe(before.title)
    expect(after.version).toBe(before.version + 1)
    // Dispatched at wall(T0) + 10: P1 fire accept 60 s from then instead of P2's 180 s.
    expect(after.deadline).toEqual({ step: 'accept', tier: 0, dueAt: wall(T0) + 10 + 60 * S, startedAt: wall(T0) + 10 })
  })

  test('a repeat of a linked alert only refreshes the link; the same version again is ignored', () => {
    const first = smoke('B03-F12-S01', T0)
    const before = book.get('INC-1')
    const repeat = next(first)
    expect(book.apply(repeat, wall(T0 + 130 * S)).decision).toEqual({ type: 'relink' })
    expect(book.links.get(first.key)?.alert.version).toBe(2)
    expect(book.get('INC-1')).toBe(before)
    expect(book.apply(repeat, wall(T0 + 131 * S)).decision).toEqual({ type: 'ignore' })
    expect(book.apply(first, wall(T0 + 132 * S)).decision).toEqual({ type: 'ignore' })
    // Clearing is only a newer version: it never closes the incident.
    expect(book.apply(next(repeat, 'cleared'), wall(T0 + 133 * S)).decision).toEqual({ type: 'relink' })
    expect(book.get('INC-1').status).toBe('dispatched')
  })

  test('a smoke alert in the zone after the window opens a new incident', () => {
    const late = T0 + 120 * S + 601 * S
    const { decision, incidentId } = book.apply(smoke('B03-F12-S04', late), wall(late))
    expect(decision.type).toBe('create')
    expect(incidentId).toBe('INC-3')
    expect(book.get('INC-1').alertCount).toBe(5)
  })
})

describe('planAlert rules', () => {
  const now = T0 + 1_000
  const settings = mergeSettings

  test('a newer version of a linked alert that raises the severity updates the incident with severity_raised only', () => {
    const stored = makeAlert()
    const incident = makeIncident({ status: 'accepted', acceptedAt: T0 + 30 * S, deadline: { step: 'arrive', tier: 0, dueAt: T0 + 30 * S + 900 * S } })
    const decision = planAlert({ ...next(stored), severity: 'P1' }, { linked: { incident, alert: stored }, candidates: [] }, { settings, now })
    if (decision.type !== 'update') throw new Error(`expected update, got ${decision.type}`)
    expect(decision.incident).toEqual({ ...incident, severity: 'P1', version: incident.version + 1, updatedAt: now, deadline: { step: 'arrive', tier: 0, dueAt: T0 + 30 * S + 300 * S } })
    expect(decision.audit.map((a) => a.event)).toEqual(['severity_raised'])
  })

  test('a deadline renewed by an escalation is re-timed from the escalation, not from the dispatch', () => {
    const stored = makeAlert()
    const escalatedAt = T0 + 200 * S
    const incident = makeIncident({ tier: 1, escalatedTo: ['C-1'], missed: ['accept'], deadline: { step: 'accept', tier: 1, dueAt: escalatedAt + 180 * S } })
    const decision = planAlert({ ...next(stored), severity: 'P1' }, { linked: { incident, alert: stored }, candidates: [] }, { settings, now })
    expect(decision.type === 'update' && decision.incident.deadline).toEqual({ step: 'accept', tier: 1, dueAt: escalatedAt + 60 * S })
  })

  test('a raised severity never moves a deadline later, and a final incident is never raised', () => {
    const stored = makeAlert({ severity: 'P4', category: 'noise' })
    // A P4 noise incident whose accept deadline was already cut short (e.g. re-timed before).
    const incident = makeIncident({ category: 'noise', severity: 'P4', deadline: { step: 'accept', tier: 0, dueAt: T0 + 60 * S } })
    const raised = planAlert({ ...next(stored), severity: 'P3' }, { linked: { incident, alert: stored }, candidates: [] }, { settings, now })
    if (raised.type !== 'update') throw new Error(`expected update, got ${raised.type}`)
    expect(raised.incident.deadline?.dueAt).toBe(T0 + 60 * S)
    const closed = { ...incident, status: 'closed' as const }
    expect(planAlert({ ...next(stored), severity: 'P1' }, { linked: { incident: closed, alert: stored }, candidates: [] }, { settings, now })).toEqual({ type: 'relink' })
  })

  test('candidates that are final, of a category the rule does not join, in another scope or outside the window are passed over', () => {
    const alert = makeAlert({ openedAt: T0 + 100 * S })
    const cases = [
      makeIncident({ id: 'closed', status: 'closed' }),
      makeIncident({ id: 'false', status: 'false_alarm' }),
      makeIncident({ id: 'elevator', category: 'elevator' }),
      makeIncident({ id: 'other-zone-other-floor', location: { grid: 'G01', building: 'B03', floor: 11, zone: 'Z11' } }),
      makeIncident({ id: 'too-old', lastAlertAt: T0 + 100 * S - 601 * S }),
      makeIncident({ id: 'too-new', lastAlertAt: T0 + 100 * S + 601 * S })
    ]
    expect(planAlert(alert, { candidates: cases }, { settings, now }).type).toBe('create')
    const edge = makeIncident({ id: 'edge', lastAlertAt: T0 + 100 * S - 600 * S })
    const decision = planAlert(alert, { candidates: [...cases, edge] }, { settings, now })
    expect(decision.type === 'update' && decision.incident.id).toBe('edge')
  })

  test('of several candidates the one with the newest alert wins, and the first rule with a candidate wins over later ones', () => {
    const alert = makeAlert({ openedAt: T0 + 100 * S })
    const older = makeIncident({ id: 'older', lastAlertAt: T0 })
    const newer = makeIncident({ id: 'newer', lastAlertAt: T0 + 50 * S })
    const sameFloor = makeIncident({ id: 'floor', lastAlertAt: T0 + 99 * S, location: { grid: 'G01', building: 'B03', floor: 12, zone: 'Z13' } })
    const decision = planAlert(alert, { candidates: [older, sameFloor, newer] }, { settings, now })
    expect(decision.type === 'update' && [decision.incident.id, decision.link.mergeRule]).toEqual(['newer', 'fire-zone'])
  })

  test('device scope joins only an incident listing the device; alertRules narrow a rule', () => {
    const noise = (device: string): Alert => makeAlert({ ruleId: 'noise.leq', subject: device, device, category: 'noise', severity: 'P4', kind: 'noise', location: { grid: 'G02', building: 'B05' } })
    const open = makeIncident({ category: 'noise', severity: 'P4', devices: ['N-1'], location: { grid: 'G02', building: 'B05' } })
    expect(planAlert(noise('N-1'), { candidates: [open] }, { settings, now }).type).toBe('update')
    expect(planAlert(noise('N-2'), { candidates: [open] }, { settings, now }).type).toBe('create')
    // elevator-fire-mode applies to elevator.fire_mode only: another fire alert of the building does not join by it.
    const otherFloor = makeAlert({ openedAt: T0, location: { grid: 'G01', building: 'B03', floor: 2, zone: 'Z02' } })
    expect(planAlert(otherFloor, { candidates: [makeIncident()] }, { settings, now }).type).toBe('create')
    expect(planAlert(fireMode(T0), { candidates: [makeIncident()] }, { settings, now }).type).toBe('update')
  })

  test('an alert no rule applies to opens an incident with merge rule none; a cleared alert still opens one', () => {
    const bare = DispatchSettingsSchema.parse({ merge: [] })
    const decision = planAlert(makeAlert({ state: 'cleared', clearedAt: T0 + 5 * S }), { candidates: [makeIncident()] }, { settings: bare, now })
    if (decision.type !== 'create') throw new Error(`expected create, got ${decision.type}`)
    expect(decision.incident.mergeRule).toBe('none')
    expect(decision.incident.mergeReason).toBe('opened by fire.smoke on B03-F12-S01; no merge rule applies to this alert')
  })

  test('an alert without a device adds none; the device list stops at 100', () => {
    const full = makeIncident({ devices: Array.from({ length: 100 }, (_, i) => `D-${i}`) })
    const decision = planAlert(makeAlert({ subject: 'X-1', device: 'X-1' }), { candidates: [full] }, { settings, now })
    expect(decision.type === 'update' && decision.incident.devices.length).toBe(100)
    const zoneAlert = planAlert(confirmed(T0), { candidates: [makeIncident()] }, { settings, now })
    expect(zoneAlert.type === 'update' && zoneAlert.incident.devices).toEqual(['B03-F12-S01'])
    const { device: _, ...noDevice } = makeAlert({ subject: 'B03/Z12' })
    const created = planAlert(noDevice, { candidates: [] }, { settings, now })
    expect(created.type === 'create' && created.incident.devices).toEqual([])
  })
})
