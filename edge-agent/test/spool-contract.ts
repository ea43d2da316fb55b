import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LANES, type Lane, type Spool } from '../src/spool/spool.ts'

/** Opens a spool on `file` with the given bounds; reopening the same file must find what was stored. */
export type OpenSpool = (file: string, bounds: { maxReadings: number, maxBytes: number }) => Spool

const entry = (lane: Lane, n: number, bytes = 10): { topic: string, payload: Buffer, lane: Lane, retain: boolean } =>
  ({ topic: `gangwan/v1/GW/d/D${lane}/telemetry`, payload: Buffer.from(String(n).padStart(bytes, '0')), lane, retain: false })

const numbers = (s: Spool, lane: Lane): number[] => s.read(lane, 0, 1_000_000).map((m) => Number(m.payload.toString()))

/** The behaviour every spool implementation must have (STYLE: pluggable parts share one suite). */
export function spoolContract (name: string, open: OpenSpool): void {
  describe(`spool contract: ${name}`, () => {
    const dirs: string[] = []
    const spools: Spool[] = []
    const fresh = (bounds = { maxReadings: 1000, maxBytes: 1_000_000 }): { s: Spool, file: string } => {
      const dir = mkdtempSync(join(tmpdir(), 'gw-spool-'))
      dirs.push(dir)
      const file = join(dir, 'spool.db')
      const s = open(file, bounds)
      spools.push(s)
      return { s, file }
    }
    afterEach(async () => {
      for (const s of spools.splice(0)) await s.close()
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
    })

    it('keeps each lane in append order and reads from a cursor', async () => {
      const { s } = fresh()
      const outcomes = await Promise.all([1, 2, 3].map(async (n) => await s.append(entry(LANES.normal, n))))
      await s.append(entry(LANES.lifeSafety, 9))
      expect(outcomes).toEqual(['stored', 'stored', 'stored'])
      expect(numbers(s, LANES.normal)).toEqual([1, 2, 3])
      const [first] = s.read(LANES.normal, 0, 1)
      expect(s.read(LANES.normal, first!.id, 10).map((m) => Number(m.payload.toString()))).toEqual([2, 3])
      expect(numbers(s, LANES.lifeSafety)).toEqual([9])
      expect(s.stats()).toMatchObject({ depth: 4, depthByLane: [0, 1, 3], dropped: 0, bytes: 40 })
    })

    it('finds everything again after a close and reopen', async () => {
      const { s, file } = fresh()
      for (let n = 0; n < 50; n++) void s.append(entry(n % 2 === 0 ? LANES.normal : LANES.lifeSafety, n))
      await s.append(entry(LANES.normal, 50))
      await s.close()
      const again = open(file, { maxReadings: 1000, maxBytes: 1_000_000 })
      spools.push(again)
      expect(again.stats().depth).toBe(51)
      expect(numbers(again, LANES.normal)).toEqual(Array.from({ length: 26 }, (_, i) => i * 2))
    })

    it('forgets acknowledged entries, once, and never reuses an id', async () => {
      const { s, file } = fresh()
      for (let n = 0; n < 5; n++) await s.append(entry(LANES.normal, n))
      const rows = s.read(LANES.normal, 0, 10)
      s.ack([rows[3]!.id, rows[4]!.id, rows[4]!.id, 999_999])
      await s.close()
      const again = open(file, { maxReadings: 1000, maxBytes: 1_000_000 })
      spools.push(again)
      expect(numbers(again, LANES.normal)).toEqual([0, 1, 2])
      expect(again.stats()).toMatchObject({ depth: 3, bytes: 30 })
      await again.append(entry(LANES.normal, 5))
      const ids = again.read(LANES.normal, 0, 10).map((m) => m.id)
      expect(ids.at(-1)).toBeGreaterThan(rows[4]!.id)
    })

    it('drops the oldest normal readings when full, never life safety, and counts them', async () => {
      const { s } = fresh({ maxReadings: 5, maxBytes: 1_000_000 })
      for (let n = 1; n <= 3; n++) await s.append(entry(LANES.normal, n))
      for (let n = 101; n <= 102; n++) await s.append(entry(LANES.lifeSafety, n))
      expect(await s.append(entry(LANES.normal, 4))).toBe('stored')
      expect(numbers(s, LANES.normal)).toEqual([2, 3, 4])
      // Life safety pushes the oldest normal readings out, then is stored over the bound.
      for (let n = 103; n <= 106; n++) expect(await s.append(entry(LANES.lifeSafety, n))).toBe('stored')
      expect(numbers(s, LANES.lifeSafety)).toEqual([101, 102, 103, 104, 105, 106])
      expect(numbers(s, LANES.normal)).toEqual([])
      expect(s.stats()).toMatchObject({ depth: 6, dropped: 4 })
      // No room and no normal reading to give way: the new normal reading itself is dropped.
      const { s: u } = fresh({ maxReadings: 2, maxBytes: 1_000_000 })
      await u.append(entry(LANES.lifeSafety, 1))
      await u.append(entry(LANES.lifeSafety, 2))
      expect(await u.append(entry(LANES.normal, 3))).toBe('dropped')
      expect(u.stats()).toMatchObject({ depth: 2, dropped: 1 })
    })

    it('never drops an alarm, and sends no lane before the alarm lane', async () => {
      const { s } = fresh({ maxReadings: 3, maxBytes: 1_000_000 })
      await s.append(entry(LANES.normal, 1))
      for (let n = 10; n < 14; n++) expect(await s.append(entry(LANES.alarm, n))).toBe('stored')
      expect(numbers(s, LANES.alarm)).toEqual([10, 11, 12, 13])
      expect(numbers(s, LANES.normal)).toEqual([])
      expect(s.stats()).toMatchObject({ depth: 4, depthByLane: [4, 0, 0], dropped: 1 })
    })

    it('bounds the payload bytes the same way', async () => {
      const { s } = fresh({ maxReadings: 1000, maxBytes: 10_000 })
      for (let n = 0; n < 12; n++) await s.append(entry(LANES.normal, n, 1000))
      expect(s.stats().bytes).toBeLessThanOrEqual(10_000)
      expect(numbers(s, LANES.normal)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
      expect(s.stats().dropped).toBe(2)
    })

    it('an acknowledged entry that was already dropped does not count twice', async () => {
      const { s, file } = fresh({ maxReadings: 2, maxBytes: 1_000_000 })
      await s.append(entry(LANES.normal, 1))
      const [old] = s.read(LANES.normal, 0, 1)
      await s.append(entry(LANES.normal, 2))
      await s.append(entry(LANES.normal, 3))
      s.ack([old!.id])
      await s.close() // flushes the deferred acks
      expect(s.stats()).toMatchObject({ depth: 2, dropped: 1 })
      const again = open(file, { maxReadings: 2, maxBytes: 1_000_000 })
      spools.push(again)
      expect(numbers(again, LANES.normal)).toEqual([2, 3])
      expect(again.stats().depth).toBe(2)
    })
  })
}
