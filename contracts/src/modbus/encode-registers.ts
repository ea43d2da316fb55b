import { encodeField } from './register-codec.ts'
import type { RegisterMap } from './register-map.ts'

/**
 * The contents of a device's four tables, address → value, holding only the mapped addresses.
 * Register tables hold 16-bit words (0–65535), bit tables booleans.
 */
export interface RegisterImage {
  holding: Map<number, number>
  input: Map<number, number>
  coil: Map<number, boolean>
  discrete: Map<number, boolean>
}

/** An empty {@link RegisterImage}. */
export function emptyRegisterImage (): RegisterImage {
  return { holding: new Map(), input: new Map(), coil: new Map(), discrete: new Map() }
}

/**
 * Lays out telemetry values per a register map, as a device of that model would hold them.
 * `values` may carry more keys than the map (a whole telemetry payload); every mapped field must
 * be present. Throws `RangeError`/`TypeError` from {@link encodeField}, or for a missing field.
 *
 * @example
 * const image = encodeRegisters(MODBUS_MODELS['noise-nm100'].map, { leq: 52.3, lmax: 61, ... })
 * image.holding.get(0) // 523
 */
export function encodeRegisters (map: RegisterMap, values: Readonly<Record<string, unknown>>): RegisterImage {
  const image = emptyRegisterImage()
  for (const f of map.fields) {
    const value = values[f.field]
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new RangeError(`no value for mapped field "${f.field}"`)
    const raw = encodeField(f, value)
    if (typeof raw === 'boolean') {
      (f.table === 'coil' ? image.coil : image.discrete).set(f.address, raw)
    } else {
      const table = f.table === 'input' ? image.input : image.holding
      raw.forEach((w, i) => table.set(f.address + i, w))
    }
  }
  return image
}
