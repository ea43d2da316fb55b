import { describe, expect, it } from 'vitest'
import { CommunitySchema, ZoneClassSchema, formatIssues, type CommunityInput } from '../src/index.ts'
import { fullCommunity, minimalCommunity } from './support/community-fixture.ts'
import { expectAccepted } from './support/table.ts'


/** Formatted issue lines of a community that must be rejected. */
function issuesOf (c: unknown): string[] {
  const r = CommunitySchema.safeParse(c)
  if (r.success) expect.fail('expected the community to be rejected')
  return formatIssues(r.error)
}

/** The full fixture after `edit`, which may break it in any way (hence the loose type). */
function broken (edit: (c: any) => void): CommunityInput {
  const c = fullCommunity()
  edit(c)
  return c
}

describe('CommunitySchema accepts', () => {
  it('a minimal community and fills in the defaults', () => {
    const c = expectAccepted(CommunitySchema, minimalCommunity())
    expect(c.timezone).toBe('Asia/Shanghai')
    expect(c.noise).toEqual({ dayStart: '06:00', nightStart: '22:00' })
    expect(c.grids[0]?.workers).toBe(2)
    expect(c.buildings[0]).toMatchObject({ basementFloors: 0, floorHeightM: 3 })
    expect([c.restaurants, c.elevators, c.departments, c.gateways, c.devices]).toEqual([[], [], [], [], []])
  })
  it('a community with every collection and every device kind', () => {
    const c = expectAccepted(CommunitySchema, fullCommunity())
    expect(c.devices.map((d) => d.kind)).toEqual(['fire', 'fire', 'elevator', 'fume', 'noise', 'falling_object'])
    expect(c.restaurants[0]?.fumeLimitMgM3).toBe(1.0)
  })
  it('a restaurant without a limit at the GB 18483-2001 default of 2.0 mg/m3', () => {
    const c = expectAccepted(CommunitySchema, broken((c) => { delete c.restaurants[0].fumeLimitMgM3 }))
    expect(c.restaurants[0]?.fumeLimitMgM3).toBe(2.0)
  })
  it.each([
    ['the lowest basement', -2], ['the top floor', 33], ['the first floor', 1]
  ])('a fire detector on %s', (_name, floor) => {
    expectAccepted(CommunitySchema, broken((c) => { c.devices[0].floor = floor }))
  })
  it.each(ZoneClassSchema.options)('zone class %s', (zoneClass) => {
    expectAccepted(CommunitySchema, broken((c) => { c.grids[0].zoneClass = zoneClass }))
  })
})

// One row per cross-reference or shape error: the edit, and the exact line formatIssues must print.
const crossReferenceErrors: [string, (c: any) => void, string][] = [
  ['duplicate grid id', (c) => { c.grids[1].id = 'G01' }, 'grids.1.id: duplicate id "G01"'],
  ['duplicate building id', (c) => { c.buildings[1].id = 'B03' }, 'buildings.1.id: duplicate id "B03"'],
  ['duplicate restaurant id', (c) => { c.restaurants.push({ ...c.restaurants[0] }) }, 'restaurants.1.id: duplicate id "R01"'],
  ['duplicate elevator id', (c) => { c.elevators.push({ ...c.elevators[0] }) }, 'elevators.1.id: duplicate id "E-B03-1"'],
  ['duplicate department id', (c) => { c.departments[1].id = 'D-LIFT' }, 'departments.1.id: duplicate id "D-LIFT"'],
  ['duplicate gateway id', (c) => { c.gateways.push({ id: 'GW-B03', building: 'B07' }) }, 'gateways.1.id: duplicate id "GW-B03"'],
  ['duplicate device id', (c) => { c.devices[4].id = 'B03-F12-S01' }, 'devices.4.id: duplicate id "B03-F12-S01"'],
  ['an id that is both gateway and device', (c) => { c.gateways.push({ id: 'B07-CAM-E', building: 'B07' }) }, 'gateways: id "B07-CAM-E" is both a gateway and a device'],
  ['building in an unknown grid', (c) => { c.buildings[0].grid = 'G99' }, 'buildings.0.grid: unknown grid "G99"'],
  ['floorHeightsM shorter than floors', (c) => { c.buildings[1].floorHeightsM = [5.4, 3] }, 'buildings.1.floorHeightsM: has 2 entries for 3 floors'],
  ['floorHeightsM longer than floors', (c) => { c.buildings[0].floorHeightsM = [3, 3]; c.buildings[0].floors = 1; c.elevators = []; c.devices = [] }, 'buildings.0.floorHeightsM: has 2 entries for 1 floors'],
  ['restaurant in an unknown building', (c) => { c.restaurants[0].building = 'B99' }, 'restaurants.0.building: unknown building "B99"'],
  ['elevator in an unknown building', (c) => { c.elevators[0].building = 'B99' }, 'elevators.0.building: unknown building "B99"'],
  ['elevator above the top floor', (c) => { c.elevators[0].highestFloor = 34 }, 'elevators.0.highestFloor: building "B03" has 33 floors'],
  ['elevator serving no floor range', (c) => { c.elevators[0].lowestFloor = 33 }, 'elevators.0.lowestFloor: must be below highestFloor'],
  ['elevator below the lowest basement', (c) => { c.elevators[0].lowestFloor = -3 }, 'elevators.0.lowestFloor: building "B03" has floors -2..33 (no floor 0)'],
  ['elevator starting at floor 0', (c) => { c.elevators[0].lowestFloor = 0 }, 'elevators.0.lowestFloor: building "B03" has floors -2..33 (no floor 0)'],
  ['elevator in a basement of a building without one', (c) => { c.elevators[0].building = 'B07'; c.elevators[0].lowestFloor = -1; c.elevators[0].highestFloor = 3 }, 'elevators.0.lowestFloor: building "B07" has floors 1..3 (no floor 0)'],
  ['elevator maintained by an unknown department', (c) => { c.elevators[0].maintainer = 'D-NONE' }, 'elevators.0.maintainer: unknown department "D-NONE"'],
  ['department covering an unknown grid', (c) => { c.departments[1].grids = ['G01', 'G77'] }, 'departments.1.grids.1: unknown grid "G77"'],
  ['gateway in an unknown building', (c) => { c.gateways[0].building = 'B99' }, 'gateways.0.building: unknown building "B99"'],
  ['device in an unknown building', (c) => { c.devices[4].building = 'B99' }, 'devices.4.building: unknown building "B99"'],
  ['device behind an unknown gateway', (c) => { c.devices[3].gateway = 'GW-X' }, 'devices.3.gateway: unknown gateway "GW-X"'],
  ['fire detector above the top floor', (c) => { c.devices[0].floor = 34 }, 'devices.0.floor: building "B03" has floors -2..33 (no floor 0)'],
  ['fire detector below the lowest basement', (c) => { c.devices[1].floor = -3 }, 'devices.1.floor: building "B03" has floors -2..33 (no floor 0)'],
  ['fire detector on floor 0', (c) => { c.devices[0].floor = 0 }, 'devices.0.floor: building "B03" has floors -2..33 (no floor 0)'],
  ['fire detector in a basement of a building without one', (c) => { c.devices[0].building = 'B07'; c.devices[0].floor = -1 }, 'devices.0.floor: building "B07" has floors 1..3 (no floor 0)'],
  ['elevator controller of an unknown elevator', (c) => { c.devices[2].elevator = 'E-NONE' }, 'devices.2.elevator: unknown elevator "E-NONE"'],
  ['fume monitor of an unknown restaurant', (c) => { c.devices[3].restaurant = 'R99' }, 'devices.3.restaurant: unknown restaurant "R99"'],
  ['camera on a facade of another building', (c) => { c.devices[5].facade = 'S' }, 'devices.5.facade: building "B07" has no facade "S"']
]

const shapeErrors: [string, (c: any) => void, string][] = [
  ['unknown schema version', (c) => { c.schemaVersion = 2 }, 'schemaVersion'],
  ['an unknown top-level field', (c) => { c.devicez = [] }, '(root)'],
  ['no grid', (c) => { c.grids = [] }, 'grids'],
  ['no building', (c) => { c.buildings = [] }, 'buildings'],
  ['devices missing', (c) => { delete c.devices }, 'devices'],
  ['a bad zone class', (c) => { c.grids[0].zoneClass = '5' }, 'grids.0.zoneClass'],
  ['a bad night start', (c) => { c.noise.nightStart = '10pm' }, 'noise.nightStart'],
  ['a building without facades', (c) => { c.buildings[0].facades = [] }, 'buildings.0.facades'],
  ['a diagonal facade', (c) => { c.buildings[0].facades[0].orientation = 'SE' }, 'buildings.0.facades.0.orientation'],
  ['a building of 201 floors', (c) => { c.buildings[0].floors = 201 }, 'buildings.0.floors'],
  ['a zero floor height in floorHeightsM', (c) => { c.buildings[1].floorHeightsM = [5.4, 0, 3] }, 'buildings.1.floorHeightsM.1'],
  ['a restaurant without opening hours', (c) => { c.restaurants[0].openingHours = [] }, 'restaurants.0.openingHours'],
  ['an opening time of 24:00', (c) => { c.restaurants[0].openingHours[1].close = '24:00' }, 'restaurants.0.openingHours.1.close'],
  ['an unknown department kind', (c) => { c.departments[0].kind = 'army' }, 'departments.0.kind'],
  ['a device of an unknown kind', (c) => { c.devices[4].kind = 'gas' }, 'devices.4.kind'],
  ['a fire detector without a zone', (c) => { delete c.devices[0].zone }, 'devices.0.zone'],
  ['a fire detector on floor 1.5', (c) => { c.devices[0].floor = 1.5 }, 'devices.0.floor'],
  ['a heat detector of class D', (c) => { c.devices[1].heatClass = 'D' }, 'devices.1.heatClass'],
  ['a field of another kind on a device (strict)', (c) => { c.devices[4].restaurant = 'R01' }, 'devices.4'],
  ['a device id with a slash', (c) => { c.devices[4].id = 'B03/N01' }, 'devices.4.id'],
  ['a gateway id with a wildcard', (c) => { c.gateways[0].id = 'GW+' }, 'gateways.0.id']
]

describe('CommunitySchema rejects, naming the bad field', () => {
  it.each(crossReferenceErrors)('%s', (_name, edit, line) => {
    expect(issuesOf(broken(edit))).toContain(line)
  })
  it.each(shapeErrors)('%s', (_name, edit, path) => {
    const paths = issuesOf(broken(edit)).map((l) => l.slice(0, l.indexOf(': ')))
    expect(paths).toContain(path)
  })
  it('reports every broken reference at once, one line each', () => {
    const lines = issuesOf(broken((c) => { c.devices[3].gateway = 'GW-X'; c.buildings[0].grid = 'G99'; c.elevators[0].maintainer = 'D-NONE' }))
    expect(lines).toEqual([
      'buildings.0.grid: unknown grid "G99"',
      'elevators.0.maintainer: unknown department "D-NONE"',
      'devices.3.gateway: unknown gateway "GW-X"'
    ])
  })
})

describe('formatIssues', () => {
  it('prints (root) for an issue on the document itself', () => {
    expect(issuesOf('not a community')).toEqual([expect.stringMatching(/^\(root\): /)])
  })
})
