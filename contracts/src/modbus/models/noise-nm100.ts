import type { ModbusModel } from '../modbus-model.ts'
import { RegisterMapSchema } from '../register-map.ts'

/**
 * Reference layout of a sound level meter that keeps its one-minute statistics (HJ 906/907-2017)
 * in holding registers (FC 3) as tenths of a dB(A), the common integer encoding of meters without
 * floats: holding 0–5 = Leq, Lmax, Lmin, L10, L50, L90 (uint16 × 0.1 dB); 6 = interval in s;
 * 7 = sample valid (0 while rain or wind invalidates it, GB 3096-2008 Annex C). The reason
 * (`invalidReason`) is not on the wire, so decoded readings never carry it.
 *
 * @example
 * encodeRegisters(NOISE_NM100.map, { leq: 52.3, ... }).holding.get(0) // 523
 */
export const NOISE_NM100: ModbusModel = Object.freeze({
  kind: 'noise',
  description: 'sound level meter, one-minute statistics in holding registers, 0.1 dB(A) resolution',
  map: RegisterMapSchema.parse({
    fields: [
      { field: 'leq', table: 'holding', address: 0, type: 'uint16', scale: 0.1 },
      { field: 'lmax', table: 'holding', address: 1, type: 'uint16', scale: 0.1 },
      { field: 'lmin', table: 'holding', address: 2, type: 'uint16', scale: 0.1 },
      { field: 'l10', table: 'holding', address: 3, type: 'uint16', scale: 0.1 },
      { field: 'l50', table: 'holding', address: 4, type: 'uint16', scale: 0.1 },
      { field: 'l90', table: 'holding', address: 5, type: 'uint16', scale: 0.1 },
      { field: 'intervalS', table: 'holding', address: 6, type: 'uint16' },
      { field: 'valid', table: 'holding', address: 7, type: 'bool' }
    ]
  })
})
