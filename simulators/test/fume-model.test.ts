import { describe, expect, it } from 'vitest'
import { CommunitySchema, TelemetrySchema, type FumeTelemetry } from '@gangwan/contracts'
import { fumeModel, generateCommunity, isOpen } from '../src/index.ts'
import { DAY, driveModel, mean, MONDAY_MIDNIGHT, seqsAreConsecutive, setupFor, shanghaiHour } from './support/drive-model.ts'

const community = CommunitySchema.parse(generateCommunity({ seed: 1, buildings: 20, devices: 2000 }))
const hoursOf = (id: string): [number, number][] => community.restaurants.find((r) => r.id === id)!.openingHours
  .map((i) => [Number(i.open.slice(0, 2)) + Number(i.open.slice(3)) / 60, Number(i.close.slice(0, 2)) + Number(i.close.slice(3)) / 60])
const run = (id: string): FumeTelemetry[] => driveModel(fumeModel, setupFor<'fume'>(community, id), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 3 * DAY)
// Restaurants serving both lunch and dinner, so there are meal peaks and a quiet afternoon to compare.
const twoServices = community.restaurants.filter((r) => r.openingHours.length === 2 && r.openingHours[0]!.open <= '11:00')

describe('fume model', () => {
  it('has restaurants under both the national 2.0 and a local 1.0 mg/m³ limit to test', () => {
    expect(new Set(community.restaurants.map((r) => r.fumeLimitMgM3))).toEqual(new Set([1, 2]))
    expect(twoServices.length).toBeGreaterThan(2)
  })

  for (const r of community.restaurants) {
    it(`runs fan and purifier only during opening hours, with fume under the limit: ${r.id} (${r.name})`, () => {
      const msgs = run(r.id)
      expect(seqsAreConsecutive(msgs)).toBe(true)
      expect(msgs.filter((m) => !TelemetrySchema.safeParse(m).success)).toEqual([])
      const hours = hoursOf(r.id)
      const open = msgs.filter((m) => isOpen(hours, shanghaiHour(m.ts)))
      const closed = msgs.filter((m) => !isOpen(hours, shanghaiHour(m.ts)))
      expect(open.length).toBeGreaterThan(0)
      expect(open.every((m) => m.fanOn && m.purifierOn && m.fanCurrentA > 1 && m.purifierCurrentA > 0.3)).toBe(true)
      expect(closed.every((m) => !m.fanOn && !m.purifierOn && m.fumeMgM3 <= 0.03 && m.fanCurrentA < 0.1)).toBe(true)
      // Under the site's limit, and in GB 18483's typical 0.3–1.5 band scaled to the limit.
      const fume = open.map((m) => m.fumeMgM3)
      expect(Math.max(...fume)).toBeLessThan(r.fumeLimitMgM3)
      expect(Math.min(...fume)).toBeGreaterThan(0.1 * r.fumeLimitMgM3)
    })
  }

  it('rises at the meal peaks and keeps particulates and NMHC in step with the fume', () => {
    for (const r of twoServices) {
      const open = run(r.id).filter((m) => isOpen(hoursOf(r.id), shanghaiHour(m.ts)))
      const at = (from: number, to: number): number => mean(open.filter((m) => shanghaiHour(m.ts) >= from && shanghaiHour(m.ts) < to).map((m) => m.fumeMgM3))
      const offPeak = mean(open.filter((m) => [7.5, 12, 18.5].every((p) => Math.abs(shanghaiHour(m.ts) - p) > 1.5)).map((m) => m.fumeMgM3))
      expect(at(11.75, 12.25)).toBeGreaterThan(offPeak * 1.5)
      const corr = (a: number[], b: number[]): number => {
        const ma = mean(a); const mb = mean(b)
        const cov = mean(a.map((x, i) => (x - ma) * (b[i]! - mb)))
        return cov / Math.sqrt(mean(a.map((x) => (x - ma) ** 2)) * mean(b.map((y) => (y - mb) ** 2)))
      }
      expect(corr(open.map((m) => m.fumeMgM3), open.map((m) => m.particulateMgM3))).toBeGreaterThan(0.8)
      expect(corr(open.map((m) => m.fumeMgM3), open.map((m) => m.nmhcMgM3))).toBeGreaterThan(0.8)
    }
  })
})
