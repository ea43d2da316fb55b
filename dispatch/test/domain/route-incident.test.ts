import { describe, expect, test } from 'vitest'
import { CommunitySchema } from '@gangwan/contracts'
import type { AlertCategory, Incident, Severity } from '@gangwan/contracts'
import { pickHandler, routeIncident } from '../../src/domain/index.ts'
import { community, communityInput, makeIncident } from './fixtures.ts'

const at = (category: AlertCategory, severity: Severity, location: Incident['location']): Incident => makeIncident({ category, severity, location })
const B03 = { grid: 'G01', building: 'B03' }
const B05 = { grid: 'G02', building: 'B05' }

describe('routeIncident with the default routing', () => {
  test.each([
    ['confirmed fire', at('fire', 'P1', { ...B03, floor: 12, zone: 'Z12' }), ['fire.confirmed'], { rule: 'fire-confirmed', department: 'FCR-1', notify: ['FB-1'], escalation: ['C-1', 'S-1', 'D-1'], autoDispatch: true }],
    ['fire pre-alarm', at('fire', 'P2', { ...B03, floor: 12, zone: 'Z12' }), ['fire.smoke'], { rule: 'fire', department: 'FCR-1', notify: [], escalation: ['C-1', 'S-1', 'D-1'], autoDispatch: true }],
    ['trapped passenger', at('elevator', 'P1', { ...B03, elevator: 'L1', floor: 7 }), ['elevator.trapped_at_landing'], { rule: 'elevator', department: 'EM-1', notify: [], escalation: ['C-1', 'S-1', 'D-1'], autoDispatch: true }],
    ['fume over the limit', at('fume', 'P3', { ...B05, restaurant: 'R1' }), ['fume.exceedance'], { rule: 'fume', department: 'ENV-1', notify: [], escalation: ['S-1', 'D-1'], autoDispatch: true }],
    ['noise at night', at('noise', 'P3', B05), ['noise.night-sudden'], { rule: 'noise', department: 'UM-1', notify: [], escalation: ['S-1', 'D-1'], autoDispatch: true }],
    ['thrown object in G01', at('falling_object', 'P1', { ...B03, facade: 'N' }), ['falling_object.thrown'], { rule: 'falling-object', department: 'P-1', notify: [], escalation: ['POL-1', 'C-1', 'S-1', 'D-1'], autoDispatch: true }],
    ['thrown object in G02', at('falling_object', 'P1', { ...B05, facade: 'N' }), ['falling_object.thrown'], { rule: 'falling-object', department: 'P-2', notify: [], escalation: ['POL-1', 'C-2', 'S-1', 'D-1'], autoDispatch: true }],
    ['device offline in G01', at('device_health', 'P4', B03), ['health.offline'], { rule: 'device-health', department: 'DM-1', notify: [], escalation: ['P-1', 'C-1'], autoDispatch: true }],
    ['device offline in G02', at('device_health', 'P4', B05), ['health.offline'], { rule: 'device-health', department: 'DM-1', notify: [], escalation: ['P-2', 'C-2'], autoDispatch: true }]
  ])('%s', (_, incident, rules, route) => {
    expect(routeIncident(incident, rules, community)).toEqual(route)
  })

  test('an elevator incident without a known elevator has no department and waits for a dispatcher', () => {
    expect(routeIncident(at('elevator', 'P1', B03), [], community)).toEqual({ rule: 'elevator', notify: [], escalation: ['C-1', 'S-1', 'D-1'], autoDispatch: true })
    expect(routeIncident(at('elevator', 'P1', { ...B03, elevator: 'L9' }), [], community)?.department).toBeUndefined()
  })

  test('targets the community lacks are dropped from notify and escalation; a missing department kind leaves the department undefined', () => {
    const input = communityInput()
    const sparse = CommunitySchema.parse({ ...input, departments: input.departments?.filter((d) => !['FB-1', 'POL-1', 'P-1', 'P-2'].includes(d.id)) })
    expect(routeIncident(at('fire', 'P1', B03), ['fire.confirmed'], sparse)).toMatchObject({ department: 'FCR-1', notify: [] })
    const thrown = routeIncident(at('falling_object', 'P1', B03), [], sparse)
    expect(thrown?.department).toBeUndefined()
    expect(thrown?.escalation).toEqual(['C-1', 'S-1', 'D-1'])
  })
})

describe('routeIncident with custom rules', () => {
  const custom = CommunitySchema.parse(communityInput({
    dispatch: {
      routing: [
        { id: 'trapped', match: { alertRules: ['elevator.trapped_at_landing', 'elevator.trapped_between_floors'] }, department: 'elevator_maintainer', notify: ['fire_brigade'], escalation: ['street'] },
        { id: 'g02-p1', match: { grids: ['G02'], severities: ['P1'] }, department: 'street', autoDispatch: false },
        { id: 'fire', match: { categories: ['fire'] }, department: 'fire_control_room' }
      ]
    }
  }))

  test('alertRules match when one of the incident\'s alert rules is listed', () => {
    const incident = at('elevator', 'P1', { ...B03, elevator: 'L1' })
    expect(routeIncident(incident, ['elevator.fault_code', 'elevator.trapped_at_landing'], custom)).toEqual({ rule: 'trapped', department: 'EM-1', notify: ['FB-1'], escalation: ['S-1'], autoDispatch: true })
    expect(routeIncident(incident, ['elevator.fault_code'], custom)).toBeUndefined()
  })

  test('grids and severities narrow a rule; absent lists take defaults (three escalation tiers, auto dispatch)', () => {
    expect(routeIncident(at('fume', 'P1', B05), [], custom)).toEqual({ rule: 'g02-p1', department: 'S-1', notify: [], escalation: ['C-2', 'S-1', 'D-1'], autoDispatch: false })
    expect(routeIncident(at('fume', 'P2', B05), [], custom)).toBeUndefined()
    expect(routeIncident(at('fire', 'P1', B03), [], custom)?.rule).toBe('fire')
  })
})

describe('pickHandler', () => {
  const department = community.departments.find((d) => d.id === 'FCR-1')
  if (department === undefined) throw new Error('fixture lacks FCR-1')

  test.each([
    [{}, 'FCR-1-h1'],
    [{ 'FCR-1-h1': 2, 'FCR-1-h2': 1 }, 'FCR-1-h2'],
    [{ 'FCR-1-h1': 1, 'FCR-1-h2': 1 }, 'FCR-1-h1'],
    [{ 'FCR-1-h1': 1 }, 'FCR-1-h2'],
    [{ 'FCR-1-h1': 0, 'FCR-1-h2': 3, 'other-h': 0 }, 'FCR-1-h1']
  ])('open counts %j → %s', (open, handler) => {
    expect(pickHandler(department, open)).toBe(handler)
  })

  test('a department without handlers has none', () => {
    expect(pickHandler({ ...department, handlers: [] }, {})).toBeUndefined()
  })
})
