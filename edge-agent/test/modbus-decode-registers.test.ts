import { describe, expect, it } from 'vitest'
import { encodeRegisters, MODBUS_MODELS, RegisterMapSchema, type RegisterImage } from '@gangwan/contracts'
import { decodeRegisters, planReads, type ReadRequest, type RegisterBlock } from '../src/southbound/modbus/decode-registers.ts'

/** The blocks a device holding `image` answers to `reads`. */
const answer = (image: RegisterImage, reads: ReadRequest[]): RegisterBlock[] => reads.map((r) => ({
  ...r, values: Array.from({ length: r.count }, (_, i) => image[r.table].get(r.start + i)!) as number[] | boolean[]
}))

describe('planReads', () => {
  it('reads each table in contiguous runs', () => {
    expect(planReads(MODBUS_MODELS['noise-nm100'].map)).toEqual([{ table: 'holding', start: 0, count: 8 }])
    expect(planReads(MODBUS_MODELS['fume-fm200'].map)).toEqual([
      { table: 'input', start: 0, count: 8 },
      { table: 'discrete', start: 0, count: 2 }
    ])
  })
  it('never reads across a gap, and splits at 125 registers', () => {
    const map = RegisterMapSchema.parse({
      fields: [
        { field: 'a', table: 'holding', address: 10, type: 'uint16' },
        { field: 'b', table: 'holding', address: 12, type: 'float32' },
        ...Array.from({ length: 130 }, (_, i) => ({ field: `r${i}`, table: 'input', address: i, type: 'uint16' }))
      ]
    })
    expect(planReads(map)).toEqual([
      { table: 'holding', start: 10, count: 1 },
      { table: 'holding', start: 12, count: 2 },
      { table: 'input', start: 0, count: 125 },
      { table: 'input', start: 125, count: 5 }
    ])
  })
})

describe('decodeRegisters', () => {
  it('decodes the documented noise meter example', () => {
    expect(decodeRegisters(MODBUS_MODELS['noise-nm100'].map, [{ table: 'holding', start: 0, values: [523, 610, 442, 551, 510, 463, 60, 1] }]))
      .toEqual({ leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, intervalS: 60, valid: true })
  })
  const fume = { fumeMgM3: 1.234, particulateMgM3: 2.5, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 0, purifierOn: false }
  it.each(['fume-fm200', 'fume-fm300'] as const)('%s: decodes what the encoder laid out, scaled and in word order', (id) => {
    const { map } = MODBUS_MODELS[id]
    expect(decodeRegisters(map, answer(encodeRegisters(map, fume), planReads(map)))).toEqual(fume)
  })
  it('reads CDAB words low word first (fm300: 1234 µg/m³ = 0x000004D2)', () => {
    const image = encodeRegisters(MODBUS_MODELS['fume-fm300'].map, fume)
    expect([image.holding.get(100), image.holding.get(101)]).toEqual([0x04d2, 0x0000])
  })
  it('finds fields in blocks read with other boundaries', () => {
    const { map } = MODBUS_MODELS['noise-nm100']
    const blocks: RegisterBlock[] = [
      { table: 'holding', start: 4, values: [510, 463, 60, 0] },
      { table: 'holding', start: 0, values: [523, 610, 442, 551] }
    ]
    expect(decodeRegisters(map, blocks)).toMatchObject({ leq: 52.3, l50: 51, valid: false })
  })
  it('throws a RangeError when a mapped address was not read or has the wrong shape', () => {
    const { map } = MODBUS_MODELS['fume-fm200']
    expect(() => decodeRegisters(map, [{ table: 'input', start: 0, values: [0, 0, 0, 0, 0, 0, 0, 0] }])).toThrow(/discrete 0 was not read/)
    expect(() => decodeRegisters(map, [
      { table: 'input', start: 0, values: [0, 0, 0, 0, 0, 0, 0, 0] },
      { table: 'discrete', start: 0, values: [0, 1] }
    ])).toThrow(RangeError)
  })
})
