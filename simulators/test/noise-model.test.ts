import { describe, expect, it } from 'vitest'
import { CommunitySchema, TelemetrySchema, type NoiseTelemetry } from '@gangwan/contracts'
import { generateCommunity, noiseModel } from '../src/index.ts'
import { DAY, driveModel, mean, MONDAY_MIDNIGHT, seqsAreConsecutive, setupFor, shanghaiHour } from './support/drive-model.ts'

const community = CommunitySchema.parse(generateCommunity({ seed: 1, buildings: 20, devices: 2000 }))
const meterIn = (zoneClass: string): string => {
  const grid = community.grids.find((g) => g.zoneClass === zoneClass)!
  return community.devices.find((d) => d.kind === 'noise' && d.building === community.buildings.find((b) => b.grid === grid.id)!.id)!.id
}
const week = (id: string): NoiseTelemetry[] => driveModel(noiseModel, setupFor<'noise'>(community, id), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 7 * DAY)
const residential = week(meterIn('1'))
const mixed = week(meterIn('2'))
const isNight = (m: NoiseTelemetry): boolean => shanghaiHour(m.ts - 30_000) >= 22 || shanghaiHour(m.ts - 30_000) < 6

describe('noise model', () => {
  it('reports one-minute statistics on the minute, valid against the schema (Lmin ≤ L90 ≤ L50 ≤ L10 ≤ Lmax, Leq inside)', () => {
    expect(residential.length).toBe(7 * 24 * 60)
    expect(seqsAreConsecutive(residential)).toBe(true)
    expect(residential.every((m) => m.ts % 60_000 === 0 && m.intervalS === 60)).toBe(true)
    expect([...residential, ...mixed].filter((m) => !TelemetrySchema.safeParse(m).success)).toEqual([])
  })

  it('is quieter at night than by day: residential ~50–58 dB(A) by day, ~38–46 at night', () => {
    const valid = residential.filter((m) => m.valid)
    const day = mean(valid.filter((m) => !isNight(m)).map((m) => m.leq))
    const night = mean(valid.filter(isNight).map((m) => m.leq))
    expect(night).toBeLessThan(day - 6)
    expect(day).toBeGreaterThan(49)
    expect(day).toBeLessThan(59)
    expect(night).toBeGreaterThan(36)
    expect(night).toBeLessThan(47)
  })

  it('makes class 2 (mixed) sites louder than class 1 (residential) ones, on average over the meters', () => {
    const classOf = (id: string): string => {
      const d = community.devices.find((x) => x.id === id)!
      return community.grids.find((g) => g.id === community.buildings.find((b) => b.id === d.building)!.grid)!.zoneClass
    }
    const meters = community.devices.filter((d) => d.kind === 'noise').map((d) => d.id)
    const leq = (zone: string): number => mean(meters.filter((id) => classOf(id) === zone)
      .flatMap((id) => driveModel(noiseModel, setupFor<'noise'>(community, id), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + DAY))
      .filter((m) => m.valid).map((m) => m.leq))
    expect(leq('2')).toBeGreaterThan(leq('1') + 2.5)
  })

  it('marks some minutes invalid for rain or wind, and rain the same for every meter', () => {
    const invalid = residential.filter((m) => !m.valid)
    expect(invalid.length).toBeGreaterThan(0)
    expect(invalid.length).toBeLessThan(residential.length * 0.3)
    expect(invalid.every((m) => m.invalidReason === 'rain' || m.invalidReason === 'wind')).toBe(true)
    const rain = (ms: NoiseTelemetry[]): number[] => ms.filter((m) => m.invalidReason === 'rain').map((m) => m.ts)
    expect(rain(residential).length).toBeGreaterThan(0)
    expect(rain(mixed)).toEqual(rain(residential))
  })
})
