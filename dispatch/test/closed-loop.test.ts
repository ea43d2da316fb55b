import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alertKey, GangwanError, IncidentSchema, type Alert, type AlertCategory, type Community, type Device, type Incident, type Severity } from '@gangwan/contracts'
import { alertOf, BACKENDS, demoCommunity, openDispatch, user, type DispatchFixture } from './support/dispatch-fixture.ts'

const MIN = 60_000

/** The correlator's alert is about the fire zone, not one device (analytics: subject `<building>/<zone>`). */
function confirmed (a: Alert): Alert {
  const { device: _device, ...rest } = a
  const subject = `${a.location.building!}/${a.location.zone!}`
  return { ...rest, subject, key: alertKey(a.ruleId, subject, a.openedAt) }
}
const operator = user('op-1', 'operator')

/** Every loop the issue names: category → the department kind it must reach and the alert that opens it. */
const LOOPS: Array<{ category: AlertCategory; ruleId: string; severity: Severity; kind: Device['kind']; departmentKind: string }> = [
  { category: 'fire', ruleId: 'fire.confirmed', severity: 'P1', kind: 'fire', departmentKind: 'fire_control_room' },
  { category: 'elevator', ruleId: 'elevator.trapped_between_floors', severity: 'P1', kind: 'elevator', departmentKind: 'elevator_maintenance' },
  { category: 'fume', ruleId: 'fume.illegal_discharge', severity: 'P3', kind: 'fume', departmentKind: 'environment' },
  { category: 'noise', ruleId: 'noise.night_sudden', severity: 'P3', kind: 'noise', departmentKind: 'urban_management' },
  { category: 'falling_object', ruleId: 'falling_object.thrown', severity: 'P1', kind: 'falling_object', departmentKind: 'property' },
  { category: 'device_health', ruleId: 'health.offline', severity: 'P4', kind: 'fire', departmentKind: 'device_maintenance' }
]

describe.each(BACKENDS)('dispatch closed loops on real %s', (backend) => {
  let community: Community
  let fx: DispatchFixture
  beforeAll(async () => {
    community = await demoCommunity()
    fx = await openDispatch(community, { backend })
  })
  afterAll(async () => { await fx.cleanup() })

  const deviceOf = (kind: Device['kind'], n = 0): Device => community.devices.filter((d) => d.kind === kind)[n]!

  for (const loop of LOOPS) {
    it(`${loop.category}: one incident, routed to ${loop.departmentKind}, worked from dispatch to close`, async () => {
      const device = deviceOf(loop.kind, 5)
      const t = fx.clock.now()
      await fx.queue.put([alertOf(community, device, { ruleId: loop.ruleId, category: loop.category, severity: loop.severity, openedAt: t })])
      await fx.dispatch.pump()
      const { items } = await fx.dispatch.list({ category: [loop.category], open: true })
      expect(items).toHaveLength(1)
      let incident = IncidentSchema.parse(items[0])
      expect(incident.status).toBe('dispatched')
      const department = community.departments.find((d) => d.id === incident.department)!
      expect(department.kind).toBe(loop.departmentKind)
      if (loop.category === 'elevator') expect(incident.department).toBe(community.elevators.find((e) => e.id === incident.location.elevator)!.maintainer)
      // The assigned handler is one of the department's own.
      expect(department.handlers.map((h) => h.id)).toContain(incident.handler)
      expect(incident.deadline).toMatchObject({ step: 'accept', tier: 0 })

      const handler = user(incident.handler!, 'handler')
      for (const [action, by] of [[{ type: 'accept' }, handler], [{ type: 'arrive' }, handler], [{ type: 'resolve', note: 'checked on site', evidence: 'photo://1' }, handler],
        [{ type: 'verify' }, operator], [{ type: 'close', satisfied: true }, operator]] as const) {
        fx.clock.advance(MIN)
        incident = await fx.dispatch.act(incident.id, action, by, incident.version)
      }
      expect(incident.status).toBe('closed')
      expect(incident.feedback).toMatchObject({ note: 'checked on site', evidence: 'photo://1', by: handler.id })
      expect(incident.deadline).toBeUndefined()
      const timeline = await fx.dispatch.timeline(incident.id)
      expect(timeline.map((e) => e.event)).toEqual(['created', 'dispatch', 'accept', 'arrive', 'resolve', 'verify', 'close'])
      expect(timeline.map((e) => e.toStatus)).toEqual(['new', 'dispatched', 'accepted', 'handling', 'resolved', 'verified', 'closed'])
      expect(timeline.at(-1)).toMatchObject({ actor: { id: 'op-1' }, fromStatus: 'verified', toStatus: 'closed' })
      expect((await fx.dispatch.alerts(incident.id)).map((l) => l.alert.ruleId)).toEqual([loop.ruleId])
    })
  }

  it('a fire confirmed by two detectors plus the elevator switching to fire mode is one incident; it closes only after resolve and verify', async () => {
    const t = fx.clock.now()
    // The smoke detector and the manual call point of one fire zone: two independent triggers (GB 50116-2013 §4.1.6).
    const detectors = community.devices.filter((d) => d.kind === 'fire' && d.building === 'B07' && d.floor === 12)
    expect(detectors.length).toBeGreaterThanOrEqual(2)
    const car = community.devices.find((d) => d.kind === 'elevator' && d.building === 'B07')!
    await fx.queue.put([
      alertOf(community, detectors[0]!, { ruleId: 'fire.smoke', category: 'fire', severity: 'P2', openedAt: t }),
      alertOf(community, detectors[1]!, { ruleId: 'fire.manual_call', category: 'fire', severity: 'P2', openedAt: t + 20_000 })
    ])
    await fx.dispatch.pump()
    await fx.queue.put([
      confirmed(alertOf(community, detectors[1]!, { ruleId: 'fire.confirmed', category: 'fire', severity: 'P1', openedAt: t + 20_000 })),
      alertOf(community, car, { ruleId: 'elevator.fire_mode', category: 'fire', severity: 'P3', openedAt: t + 60_000 })
    ])
    await fx.dispatch.pump()
    const open = (await fx.dispatch.list({ building: 'B07', open: true })).items
    expect(open).toHaveLength(1)
    const incident = open[0]!
    expect(incident).toMatchObject({ category: 'fire', severity: 'P1', alertCount: 4, status: 'dispatched' })
    expect(incident.mergeReason).toMatch(/zone|floor/)
    // A confirmed fire is accepted within 1 minute (DOMAIN.md §1, SLA default).
    expect(incident.deadline!.dueAt - incident.dispatchedAt!).toBeLessThanOrEqual(60_000)
    const links = await fx.dispatch.alerts(incident.id)
    expect(links.map((l) => l.mergeRule)).toEqual(['new', expect.stringMatching(/^fire-/), expect.stringMatching(/^fire-/), 'elevator-fire-mode'])

    const h = user(incident.handler!, 'handler')
    let i = await fx.dispatch.act(incident.id, { type: 'accept' }, h)
    i = await fx.dispatch.act(i.id, { type: 'arrive' }, h)
    await expect(fx.dispatch.act(i.id, { type: 'close' }, operator)).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_INVALID_TRANSITION' })
    i = await fx.dispatch.act(i.id, { type: 'resolve', note: 'kitchen fire put out' }, h)
    await expect(fx.dispatch.act(i.id, { type: 'close' }, operator)).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_INVALID_TRANSITION' })
    i = await fx.dispatch.act(i.id, { type: 'verify' }, operator)
    i = await fx.dispatch.act(i.id, { type: 'close', satisfied: true }, operator)
    expect(i.status).toBe('closed')
  })

  it('two operators accepting the same incident: exactly one wins, the other gets a stale or invalid-transition error', async () => {
    const t = fx.clock.now()
    await fx.queue.put([alertOf(community, deviceOf('noise', 3), { ruleId: 'noise.period_leq', category: 'noise', severity: 'P3', openedAt: t })])
    await fx.dispatch.pump()
    const incident = (await fx.dispatch.list({ category: ['noise'], open: true })).items[0]!
    for (const withVersion of [true, false]) {
      const target = withVersion ? incident : await fx.dispatch.act(incident.id, { type: 'dispatch', department: incident.department! }, user('d-1', 'dispatcher'))
      const results = await Promise.allSettled([
        fx.dispatch.act(target.id, { type: 'accept' }, user('op-a', 'operator'), withVersion ? target.version : undefined),
        fx.dispatch.act(target.id, { type: 'accept' }, user('op-b', 'operator'), withVersion ? target.version : undefined)
      ])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const lost = results.find((r) => r.status === 'rejected')!
      expect(lost.reason).toBeInstanceOf(GangwanError)
      expect((lost.reason as GangwanError).code).toBe(withVersion ? 'GW_ERR_DISPATCH_STALE' : 'GW_ERR_DISPATCH_INVALID_TRANSITION')
      const accepts = (await fx.dispatch.timeline(target.id)).filter((e) => e.event === 'accept')
      expect(accepts).toHaveLength(withVersion ? 1 : 2)
    }
  })

  it('a false alarm needs a reason, is counted against its device, and can be reopened as rework', async () => {
    const t = fx.clock.now()
    const device = deviceOf('fire', 40)
    await fx.queue.put([alertOf(community, device, { ruleId: 'fire.smoke', category: 'fire', severity: 'P2', openedAt: t })])
    await fx.dispatch.pump()
    const incident = (await fx.dispatch.list({ building: device.building, open: true })).items[0]!
    await expect(fx.dispatch.act(incident.id, { type: 'false_alarm' } as never, operator)).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_INVALID_ACTION' })
    let i: Incident = await fx.dispatch.act(incident.id, { type: 'false_alarm', reason: 'steam from a kitchen' }, operator)
    expect(i).toMatchObject({ status: 'false_alarm', falseAlarmReason: 'steam from a kitchen' })
    const byDevice = await fx.dispatch.metrics({ groupBy: 'device' })
    expect(byDevice.groups.find((g) => g.key === device.id)).toMatchObject({ falseAlarms: 1 })
    i = await fx.dispatch.act(i.id, { type: 'reopen', reason: 'resident reports smoke again' }, user('d-1', 'dispatcher'))
    expect(i).toMatchObject({ status: 'dispatched', reworkCount: 1 })
    expect(i.falseAlarmReason).toBeUndefined()
  })

  it('repeats of an alert update the incident instead of opening another; an alert after the incident closed opens a new one', async () => {
    const device = deviceOf('fume', 2)
    const t = fx.clock.now()
    const first = alertOf(community, device, { ruleId: 'fume.exceedance', category: 'fume', severity: 'P3', openedAt: t })
    await fx.queue.put([first])
    await fx.dispatch.pump()
    await fx.queue.put([{ ...first, count: 5, lastSeenAt: t + 300_000, version: 2 }])
    await fx.queue.put([{ ...first, count: 5, lastSeenAt: t + 300_000, version: 3, state: 'cleared', clearedAt: t + 300_000 }])
    await fx.dispatch.pump()
    const open = (await fx.dispatch.list({ category: ['fume'], open: true })).items.filter((i) => i.location.restaurant === first.location.restaurant)
    expect(open).toHaveLength(1)
    expect(open[0]!.alertCount).toBe(1)
    expect((await fx.dispatch.alerts(open[0]!.id))[0]!.alert).toMatchObject({ version: 3, state: 'cleared' })
    await fx.dispatch.act(open[0]!.id, { type: 'false_alarm', reason: 'calibration' }, operator)
    await fx.queue.put([alertOf(community, device, { ruleId: 'fume.exceedance', category: 'fume', severity: 'P3', openedAt: t + 600_000 })])
    await fx.dispatch.pump()
    const again = (await fx.dispatch.list({ category: ['fume'], open: true })).items.filter((i) => i.location.restaurant === first.location.restaurant)
    expect(again).toHaveLength(1)
    expect(again[0]!.id).not.toBe(open[0]!.id)
  })
})
