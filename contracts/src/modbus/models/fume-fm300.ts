import type { ModbusModel } from '../modbus-model.ts'
import { RegisterMapSchema } from '../register-map.ts'

/**
 * Reference layout of a cooking-fume monitor with a little-endian CPU and integer registers, all
 * in holding registers (FC 3) from 100: 100/102/104 = fume, particulate, NMHC in µg/m³ (uint32,
 * low word first, "CDAB"; × 0.001 gives mg/m³); 106/107 = fan and purifier current (int16 × 0.1 A);
 * 108/109 = fan running, purifier running (non-zero = on).
 *
 * @example
 * MODBUS_MODELS['fume-fm300'] === FUME_FM300
 */
export const FUME_FM300: ModbusModel = Object.freeze({
  kind: 'fume',
  description: 'cooking-fume monitor, µg/m³ as uint32 low word first (CDAB) in holding registers from 100',
  map: RegisterMapSchema.parse({
    fields: [
      { field: 'fumeMgM3', table: 'holding', address: 100, type: 'uint32', scale: 0.001, wordOrder: 'little' },
      { field: 'particulateMgM3', table: 'holding', address: 102, type: 'uint32', scale: 0.001, wordOrder: 'little' },
      { field: 'nmhcMgM3', table: 'holding', address: 104, type: 'uint32', scale: 0.001, wordOrder: 'little' },
      { field: 'fanCurrentA', table: 'holding', address: 106, type: 'int16', scale: 0.1 },
      { field: 'purifierCurrentA', table: 'holding', address: 107, type: 'int16', scale: 0.1 },
      { field: 'fanOn', table: 'holding', address: 108, type: 'bool' },
      { field: 'purifierOn', table: 'holding', address: 109, type: 'bool' }
    ]
  })
})
