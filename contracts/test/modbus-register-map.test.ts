import { describe, expect, it } from 'vitest'
import {
  FumeTelemetrySchema, MODBUS_MODELS, NoiseTelemetrySchema, RegisterFieldSchema, RegisterMapSchema, TelemetrySchema,
  decodeField, encodeField, encodeRegisters, isBitTable, registerSpan, type ModbusModelId, type RawValue, type RegisterImage, type RegisterMap
} from '../src/index.ts'
import { expectAccepted, expectRejected, type RejectCase } from './support/table.ts'

const leq = { field: 'leq', table: 'holding', address: 0, type: 'uint16', scale: 0.1 }
const field = (over: object): Record<string, unknown> => ({ ...leq, ...over })
const map = (...fields: object[]): Record<string, unknown> => ({ fields })

const acceptedFields: [string, unknown][] = [
  ['a scaled uint16 in a holding register', leq],
  ['scale defaults to 1', { field: 'intervalS', table: 'holding', address: 6, type: 'uint16' }],
  ['a float32 with low word first', field({ type: 'float32', wordOrder: 'little', scale: 1 })],
  ['an int32 at the last pair of addresses', field({ type: 'int32', address: 65534 })],
  ['a bool in a register (non-zero = true)', field({ type: 'bool', scale: 1 })],
  ['a bool in a coil', { field: 'sounder', table: 'coil', address: 0, type: 'bool' }],
  ['a bool in a discrete input', { field: 'fanOn', table: 'discrete', address: 65535, type: 'bool' }]
]

const rejectedFields: RejectCase[] = [
  { name: 'an unknown table', input: field({ table: 'memory' }), path: 'table' },
  { name: 'an unknown type', input: field({ type: 'float64' }), path: 'type' },
  { name: 'a negative address', input: field({ address: -1 }), path: 'address' },
  { name: 'an address past 65535', input: field({ address: 65536 }), path: 'address' },
  { name: 'a fractional address', input: field({ address: 1.5 }), path: 'address' },
  { name: 'a 32-bit value past the end of the table', input: field({ type: 'uint32', address: 65535 }), path: 'address' },
  { name: 'a zero scale', input: field({ scale: 0 }), path: 'scale' },
  { name: 'a negative scale', input: field({ scale: -0.1 }), path: 'scale' },
  { name: 'a number in a coil', input: field({ table: 'coil', type: 'uint16', scale: 1 }), path: 'type' },
  { name: 'a float in a discrete input', input: field({ table: 'discrete', type: 'float32', scale: 1 }), path: 'type' },
  { name: 'a scaled bool', input: field({ type: 'bool', scale: 0.1 }), path: 'scale' },
  { name: 'word order on a 16-bit type', input: field({ wordOrder: 'big' }), path: 'wordOrder' },
  { name: 'an unknown word order', input: field({ type: 'uint32', wordOrder: 'middle' }), path: 'wordOrder' },
  { name: 'a field name that is not an identifier', input: field({ field: 'l-eq' }), path: 'field' },
  { name: 'an unknown key', input: field({ unit: 'dB' }), path: '(root)' },
  { name: 'a missing table', input: { field: 'leq', address: 0, type: 'uint16' }, path: 'table' }
]

const rejectedMaps: RejectCase[] = [
  { name: 'no fields', input: map(), path: 'fields' },
  { name: 'a field mapped twice', input: map(leq, field({ address: 1 })), path: 'fields.1.field' },
  { name: 'two fields on one register', input: map(leq, field({ field: 'lmax' })), path: 'fields.1.address' },
  { name: 'a 32-bit value overlapping the next register', input: map(field({ type: 'uint32' }), field({ field: 'lmax', address: 1 })), path: 'fields.1.address' },
  { name: 'an unknown key', input: { ...map(leq), byteOrder: 'big' }, path: '(root)' }
]

describe('RegisterFieldSchema', () => {
  it.each(acceptedFields)('accepts %s', (_name, input) => { expectAccepted(RegisterFieldSchema, input) })
  it.each(rejectedFields)('rejects $name', ({ input, path }) => { expectRejected(RegisterFieldSchema, input, path) })
})

describe('RegisterMapSchema', () => {
  it('accepts the same address in different tables', () => {
    expectAccepted(RegisterMapSchema, map(leq, field({ field: 'lmax', table: 'input' }), { field: 'valid', table: 'discrete', address: 0, type: 'bool' }))
  })
  it.each(rejectedMaps)('rejects $name', ({ input, path }) => { expectRejected(RegisterMapSchema, input, path) })
})

describe('encodeField / decodeField', () => {
  const f = (o: object) => RegisterFieldSchema.parse({ field: 'x', table: 'holding', address: 0, ...o })
  const cases: [string, ReturnType<typeof f>, number | boolean, RawValue][] = [
    ['uint16 × 0.1', f({ type: 'uint16', scale: 0.1 }), 52.3, [523]],
    ['int16 negative', f({ type: 'int16', scale: 0.1 }), -12.5, [0xff83]],
    ['uint32 high word first', f({ type: 'uint32' }), 0x12345678, [0x1234, 0x5678]],
    ['uint32 low word first', f({ type: 'uint32', wordOrder: 'little' }), 0x12345678, [0x5678, 0x1234]],
    ['int32 negative', f({ type: 'int32' }), -2, [0xffff, 0xfffe]],
    ['float32 high word first', f({ type: 'float32' }), 0.8, [0x3f4c, 0xcccd]],
    ['float32 low word first', f({ type: 'float32', wordOrder: 'little' }), 0.8, [0xcccd, 0x3f4c]],
    ['bool in a register', f({ type: 'bool' }), true, [1]],
    ['bool in a coil', f({ table: 'coil', type: 'bool' }), false, false]
  ]
  it.each(cases)('%s', (_name, fld, value, raw) => {
    expect(encodeField(fld, value)).toEqual(raw)
    expect(decodeField(fld, raw)).toBe(value)
  })
  it('reads any non-zero register as true', () => {
    expect(decodeField(f({ type: 'bool' }), [7])).toBe(true)
  })
  it('refuses values that do not fit their type', () => {
    expect(() => encodeField(f({ type: 'uint16', scale: 0.1 }), 6553.6)).toThrow(RangeError)
    expect(() => encodeField(f({ type: 'uint16' }), -1)).toThrow(RangeError)
    expect(() => encodeField(f({ type: 'int16' }), 32768)).toThrow(RangeError)
    expect(() => encodeField(f({ type: 'uint16' }), true)).toThrow(TypeError)
    expect(() => encodeField(f({ type: 'bool' }), 1)).toThrow(TypeError)
    expect(() => encodeField(f({ type: 'float32' }), Number.NaN)).toThrow(TypeError)
  })
  it('refuses raw data of the wrong shape', () => {
    expect(() => decodeField(f({ type: 'uint32' }), [1])).toThrow(RangeError)
    expect(() => decodeField(f({ type: 'uint16' }), [65536])).toThrow(RangeError)
    expect(() => decodeField(f({ table: 'coil', type: 'bool' }), [1])).toThrow(RangeError)
  })
})

/** Reads every mapped field back out of an image, as a poller would from its read blocks. */
function decodeImage (m: RegisterMap, image: RegisterImage): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {}
  for (const f of m.fields) {
    if (isBitTable(f.table)) {
      out[f.field] = decodeField(f, (f.table === 'coil' ? image.coil : image.discrete).get(f.address)!)
    } else {
      const table = f.table === 'input' ? image.input : image.holding
      out[f.field] = decodeField(f, Array.from({ length: registerSpan(f.type) }, (_, i) => table.get(f.address + i)!))
    }
  }
  return out
}

const SAMPLES = {
  noise: { intervalS: 60, leq: 52.3, lmax: 61.0, lmin: 44.2, l10: 55.1, l50: 51.0, l90: 46.3, valid: true },
  fume: { fumeMgM3: 0.8, particulateMgM3: 1.9, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 1.2, purifierOn: false }
} as const
const KIND_SCHEMAS = { noise: NoiseTelemetrySchema, fume: FumeTelemetrySchema } as const

describe('MODBUS_MODELS', () => {
  const ids = Object.keys(MODBUS_MODELS) as ModbusModelId[]
  it('has at least one noise meter and one fume monitor', () => {
    const kinds = ids.map((id) => MODBUS_MODELS[id].kind)
    expect(kinds).toContain('noise')
    expect(kinds).toContain('fume')
  })
  it.each(ids)('%s: its map is valid', (id) => {
    expect(RegisterMapSchema.parse(MODBUS_MODELS[id].map)).toEqual(MODBUS_MODELS[id].map)
  })
  it.each(ids)('%s: a sample decodes into a payload its kind accepts once kind, seq and ts are added', (id) => {
    const { kind, map: m } = MODBUS_MODELS[id]
    const sample = SAMPLES[kind]
    const fields = decodeImage(m, encodeRegisters(m, sample))
    expect(fields).toEqual(sample)
    const payload = { ...fields, kind, seq: 1, ts: 1_763_800_000_000 }
    expectAccepted(KIND_SCHEMAS[kind], payload)
    expectAccepted(TelemetrySchema, payload)
  })
  it('refuses to encode a payload missing a mapped field', () => {
    expect(() => encodeRegisters(MODBUS_MODELS['noise-nm100'].map, { ...SAMPLES.noise, leq: undefined })).toThrow(/leq/)
  })
})
