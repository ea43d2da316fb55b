import { describe, expect, it } from 'vitest'
import { CommunitySchema, TelemetrySchema, type ElevatorTelemetry } from '@gangwan/contracts'
import { elevatorModel, generateCommunity } from '../src/index.ts'
import { DAY, driveModel, MONDAY_MIDNIGHT, seqsAreConsecutive, setupFor, shanghaiHour } from './support/drive-model.ts'

const community = CommunitySchema.parse(generateCommunity({ seed: 1, buildings: 3, devices: 300 }))
// The lift serving the basement car park too, to exercise negative floors.
const lift = community.elevators.find((e) => e.lowestFloor < 0)!
const day = driveModel(elevatorModel, setupFor<'elevator'>(community, lift.id), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + DAY)
const moving = (m: ElevatorTelemetry): boolean => m.direction !== 'stop'

describe('elevator model', () => {
  it('sends valid payloads with consecutive seqs, every 1 s during a trip and at most 10 s apart when idle', () => {
    expect(day.filter((m) => !TelemetrySchema.safeParse(m).success)).toEqual([])
    expect(seqsAreConsecutive(day)).toBe(true)
    const gaps = day.slice(1).map((m, i) => ({ gap: m.ts - day[i]!.ts, moving: moving(m) && moving(day[i]!) }))
    expect(gaps.filter((g) => g.moving && g.gap !== 1_000)).toEqual([])
    expect(Math.max(...gaps.map((g) => g.gap))).toBeLessThanOrEqual(10_000)
  })

  it('changes floor only while moving, within the served floors, and in the direction of travel', () => {
    const jumps = day.slice(1).filter((m, i) => m.floor !== day[i]!.floor && !moving(m) && !moving(day[i]!))
    expect(jumps).toEqual([])
    expect(day.every((m) => m.floor >= lift.lowestFloor && m.floor <= lift.highestFloor && m.floor !== 0)).toBe(true)
    const wrongWay = day.slice(1).filter((m, i) => {
      const prev = day[i]!
      return m.direction === prev.direction && ((m.direction === 'up' && m.floor < prev.floor) || (m.direction === 'down' && m.floor > prev.floor))
    })
    expect(wrongWay).toEqual([])
  })

  it('reaches but never exceeds the rated speed, and moves only with the door closed', () => {
    const speeds = day.map((m) => m.speedMps)
    expect(Math.max(...speeds)).toBeCloseTo(lift.ratedSpeedMps, 2)
    expect(day.filter((m) => m.speedMps > 0 && (m.door !== 'closed' || !moving(m)))).toEqual([])
    expect(day.filter((m) => m.door !== 'closed' && (m.speedMps !== 0 || !m.inDoorZone))).toEqual([])
  })

  it('stops in the door zone and opens the door at the floor it stopped at, before moving again', () => {
    let stops = 0
    for (let i = 1; i < day.length; i++) {
      if (!(moving(day[i - 1]!) && !moving(day[i]!))) continue
      stops++
      const stopFloor = day[i]!.floor
      let j = i
      while (j < day.length && !moving(day[j]!) && day[j]!.door !== 'opening') j++
      if (j === day.length) break
      expect(day.slice(i, j + 1).every((m) => m.inDoorZone && m.floor === stopFloor)).toBe(true)
      expect(day[j]!.door).toBe('opening')
      // Then open, then closing, before the next move.
      let k = j
      while (k < day.length && !moving(day[k]!)) k++
      const doors = new Set(day.slice(j, k).map((m) => m.door))
      expect(doors.has('open')).toBe(true)
      if (k < day.length) expect(day[k - 1]!.door === 'closing' || day[k - 1]!.door === 'closed').toBe(true)
    }
    expect(stops).toBeGreaterThan(100)
  })

  it('carries a passenger only between boarding and alighting', () => {
    // A car arriving empty to pick someone up has no passenger; one riding does.
    expect(day.some((m) => moving(m) && m.passenger)).toBe(true)
    expect(day.some((m) => moving(m) && !m.passenger)).toBe(true)
    expect(day.filter((m) => m.door === 'closed' && !moving(m) && m.passenger && m.speedMps === 0).length).toBeLessThan(day.length / 100)
  })

  it('follows the diurnal demand: busy at the morning and evening peaks, quiet at night', () => {
    const busy = (from: number, to: number): number => day.filter((m) => moving(m) && shanghaiHour(m.ts) >= from && shanghaiHour(m.ts) < to).length
    expect(busy(7, 9)).toBeGreaterThan(5 * busy(2, 4))
    expect(busy(18, 20)).toBeGreaterThan(5 * busy(2, 4))
    // Mornings mostly go down to the lobby.
    const down = day.filter((m) => shanghaiHour(m.ts) >= 7 && shanghaiHour(m.ts) < 9 && m.direction === 'down' && m.passenger).length
    const up = day.filter((m) => shanghaiHour(m.ts) >= 7 && shanghaiHour(m.ts) < 9 && m.direction === 'up' && m.passenger).length
    expect(down).toBeGreaterThan(up)
  })
})
