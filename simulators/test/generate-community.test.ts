import { describe, expect, it } from 'vitest'
import { CommunitySchema, DepartmentKindSchema, formatIssues, type Community } from '@gangwan/contracts'
import { FULL_PRESET, generateCommunity } from '../src/index.ts'

const parse = (c: unknown): Community => {
  const r = CommunitySchema.safeParse(c)
  if (!r.success) throw new Error(formatIssues(r.error).join('\n'))
  return r.data
}
const demo = parse(generateCommunity({ seed: 1, buildings: 20, devices: 2000 }))
const full = parse(generateCommunity({ ...FULL_PRESET, seed: 1 }))

describe('generateCommunity', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateCommunity({ seed: 1, buildings: 20, devices: 2000 })).toEqual(generateCommunity({ seed: 1, buildings: 20, devices: 2000 }))
    expect(generateCommunity({ seed: 2, buildings: 20, devices: 2000 })).not.toEqual(generateCommunity({ seed: 1, buildings: 20, devices: 2000 }))
  })

  it.each([
    [1, 1, 20], [3, 2, 40], [7, 5, 300], [1, 20, 2000], [9, 50, 4000], [4, 120, 9000]
  ])('seed %i, %i buildings, %i devices: validates and meets the device count within ±2 %%', (seed, buildings, devices) => {
    const c = parse(generateCommunity({ seed, buildings, devices }))
    expect(c.buildings).toHaveLength(buildings)
    expect(Math.abs(c.devices.length - devices) / devices).toBeLessThanOrEqual(0.02)
    expect(new Set(c.devices.map((d) => d.kind))).toEqual(new Set(['fire', 'elevator', 'fume', 'noise', 'falling_object']))
  })

  it('has the --full preset at Huaguoyuan scale: 311 buildings, 14,500 devices ±2 %', () => {
    expect(full.buildings).toHaveLength(311)
    expect(Math.abs(full.devices.length - 14_500) / 14_500).toBeLessThanOrEqual(0.02)
    // 235 grids and 72 fire-control rooms for 311 buildings (DOMAIN.md).
    expect(full.grids).toHaveLength(235)
    expect(full.departments.filter((d) => d.kind === 'fire_control_room')).toHaveLength(72)
  })

  it('models Huaguoyuan: 40+ floors on average, grids of class 1 and 2, departments of every kind', () => {
    for (const c of [demo, full]) {
      expect(c.buildings.reduce((a, b) => a + b.floors, 0) / c.buildings.length).toBeGreaterThan(40)
      const classes = c.grids.map((g) => g.zoneClass)
      expect(classes.filter((z) => z === '1' || z === '2').length / classes.length).toBeGreaterThan(0.9)
      expect(classes).toContain('1')
      expect(classes).toContain('2')
      expect(new Set(c.departments.map((d) => d.kind))).toEqual(new Set(DepartmentKindSchema.options))
      const em = c.departments.filter((d) => d.kind === 'elevator_maintenance').length
      expect(em).toBeGreaterThanOrEqual(2)
      expect(em).toBeLessThanOrEqual(3)
      expect(c.buildings.every((b) => b.facades.map((f) => f.orientation).join('') === 'NESW')).toBe(true)
    }
  })

  it('gives every building 2–4 elevators at 1.75–4 m/s, each with a maintenance company', () => {
    const em = new Set(demo.departments.filter((d) => d.kind === 'elevator_maintenance').map((d) => d.id))
    for (const b of demo.buildings) {
      const lifts = demo.elevators.filter((e) => e.building === b.id)
      expect(lifts.length).toBeGreaterThanOrEqual(2)
      expect(lifts.length).toBeLessThanOrEqual(4)
      expect(lifts.every((e) => e.ratedSpeedMps >= 1.75 && e.ratedSpeedMps <= 4 && em.has(e.maintainer) && e.highestFloor === b.floors)).toBe(true)
      expect(demo.devices.filter((d) => d.kind === 'elevator' && d.building === b.id)).toHaveLength(lifts.length)
    }
  })

  it('has restaurants in podium buildings with fume limits 2.0 and some 1.0, one monitor each', () => {
    expect(demo.restaurants.length).toBeGreaterThan(5)
    expect(demo.restaurants.every((r) => r.fumeLimitMgM3 === 2 || r.fumeLimitMgM3 === 1)).toBe(true)
    expect(full.restaurants.filter((r) => r.fumeLimitMgM3 === 1).length).toBeGreaterThan(0)
    for (const r of demo.restaurants) {
      expect(demo.buildings.find((b) => b.id === r.building)!.floorHeightsM?.[0]).toBeGreaterThan(4)
      expect(demo.devices.filter((d) => d.kind === 'fume' && d.restaurant === r.id)).toHaveLength(1)
    }
  })

  it('puts every device behind its building\'s gateway except noise meters, which connect directly', () => {
    expect(demo.gateways.map((g) => g.id)).toEqual(demo.buildings.map((b) => `GW-${b.id}`))
    for (const d of demo.devices) {
      if (d.kind === 'noise') expect(d.gateway).toBeUndefined()
      else expect(d.gateway).toBe(`GW-${d.building}`)
    }
    // One camera per façade; at least one noise meter per grid.
    expect(demo.devices.filter((d) => d.kind === 'falling_object')).toHaveLength(demo.buildings.length * 4)
    const meteredGrids = new Set(demo.devices.filter((d) => d.kind === 'noise').map((d) => demo.buildings.find((b) => b.id === d.building)!.grid))
    expect(meteredGrids.size).toBe(demo.grids.length)
  })

  it('places fire detectors per floor with readable ids and a zone per floor', () => {
    const fire = demo.devices.filter((d) => d.kind === 'fire')
    expect(fire.every((d) => /^B\d{2}-(F\d{2}|B\d)-[SHM]\d{2}$/.test(d.id) && d.id.startsWith(`${d.zone}-`))).toBe(true)
    expect(new Set(fire.map((d) => d.detector))).toEqual(new Set(['smoke', 'heat', 'multi', 'manual_call_point']))
    // With ~90 detectors per building, every floor's lift lobby has a smoke detector.
    for (const b of demo.buildings) {
      const floors = new Set(fire.filter((d) => d.building === b.id && d.id.endsWith('-S01')).map((d) => d.floor))
      expect(floors.size).toBe(b.floors + b.basementFloors)
    }
    expect(fire.filter((d) => d.detector === 'heat').every((d) => d.heatClass === 'A1' || d.heatClass === 'B')).toBe(true)
  })
})
