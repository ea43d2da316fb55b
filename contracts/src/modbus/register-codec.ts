import { isBitTable, registerSpan, type RegisterField } from './register-map.ts'

/** What one field occupies on the wire: its 16-bit words (register tables) or its bit (coils, discrete inputs). */
export type RawValue = readonly number[] | boolean

const INT_RANGE = {
  uint16: [0, 0xffff],
  int16: [-0x8000, 0x7fff],
  uint32: [0, 0xffffffff],
  int32: [-0x80000000, 0x7fffffff]
} as const

/** Rounds away binary noise: raw 523 × 0.1 is 52.300000000000004, reported as 52.3. */
const tidy = (x: number, digits: number): number => Number(x.toPrecision(digits))

/** The two words of a 32-bit value in wire order, from its big-endian bytes. */
function wordsOf (view: DataView, field: RegisterField): number[] {
  const hi = view.getUint16(0)
  const lo = view.getUint16(2)
  return field.wordOrder === 'little' ? [lo, hi] : [hi, lo]
}

/**
 * Encodes an engineering value into what the device would hold: raw = value ÷ `scale`, rounded
 * for integer types. Throws a `TypeError` for a value of the wrong type and a `RangeError` when
 * the raw value does not fit the type (a simulator must not wrap around silently).
 *
 * @example
 * encodeField({ field: 'leq', table: 'holding', address: 0, type: 'uint16', scale: 0.1 }, 52.3) // [523]
 */
export function encodeField (field: RegisterField, value: number | boolean): RawValue {
  if (field.type === 'bool') {
    if (typeof value !== 'boolean') throw new TypeError(`${field.field}: expected a boolean, got ${typeof value}`)
    return isBitTable(field.table) ? value : [value ? 1 : 0]
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${field.field}: expected a finite number, got ${String(value)}`)
  const raw = value / field.scale
  const view = new DataView(new ArrayBuffer(4))
  if (field.type === 'float32') {
    view.setFloat32(0, raw)
    return wordsOf(view, field)
  }
  const r = Math.round(raw)
  const [lo, hi] = INT_RANGE[field.type]
  if (r < lo || r > hi) throw new RangeError(`${field.field}: ${value} is raw ${r}, outside ${field.type} [${lo}, ${hi}]`)
  if (field.type === 'uint16' || field.type === 'int16') return [r & 0xffff]
  if (field.type === 'uint32') view.setUint32(0, r)
  else view.setInt32(0, r)
  return wordsOf(view, field)
}

/**
 * Decodes what was read for one field into its engineering value: raw × `scale`, bools as read
 * (a register is true when non-zero). float32 values keep their 7 significant digits, so 0.8
 * stored as a float reads back as 0.8. Throws a `RangeError` when `raw` has the wrong shape.
 *
 * @example
 * decodeField({ field: 'fumeMgM3', table: 'input', address: 0, type: 'float32', scale: 1 }, [0x3f4c, 0xcccd]) // 0.8
 */
export function decodeField (field: RegisterField, raw: RawValue): number | boolean {
  if (isBitTable(field.table)) {
    if (typeof raw !== 'boolean') throw new RangeError(`${field.field}: expected a bit from ${field.table}`)
    return raw
  }
  const span = registerSpan(field.type)
  if (typeof raw === 'boolean' || raw.length !== span || raw.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) {
    throw new RangeError(`${field.field}: expected ${span} 16-bit word(s)`)
  }
  if (field.type === 'bool') return raw[0] !== 0
  if (field.type === 'uint16') return tidy(raw[0]! * field.scale, 12)
  if (field.type === 'int16') return tidy(((raw[0]! << 16) >> 16) * field.scale, 12)
  const [a, b] = raw as [number, number]
  const view = new DataView(new ArrayBuffer(4))
  view.setUint16(0, field.wordOrder === 'little' ? b : a)
  view.setUint16(2, field.wordOrder === 'little' ? a : b)
  if (field.type === 'float32') return tidy(tidy(view.getFloat32(0), 7) * field.scale, 12)
  const n = field.type === 'uint32' ? view.getUint32(0) : view.getInt32(0)
  return tidy(n * field.scale, 12)
}
