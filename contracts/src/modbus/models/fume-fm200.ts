import type { ModbusModel } from '../modbus-model.ts'
import { RegisterMapSchema } from '../register-map.ts'

/**
 * Reference layout of an online cooking-fume monitor (HJ 212-2017 real-time values) with float
 * concentrations: input registers (FC 4) 0/2/4 = fume, particulate, NMHC in mg/m³ (float32,
 * high word first); 6/7 = fan and purifier current (uint16 × 0.01 A); discrete inputs (FC 2)
 * 0/1 = fan running, purifier running.
 *
 * @example
 * MODBUS_MODELS['fume-fm200'] === FUME_FM200
 */
export const FUME_FM200: ModbusModel = Object.freeze({
  kind: 'fume',
  description: 'cooking-fume monitor, float32 concentrations in input registers, fan/purifier state as discrete inputs',
  map: RegisterMapSchema.parse({
    fields: [
      { field: 'fumeMgM3', table: 'input', address: 0, type: 'float32' },
      { field: 'particulateMgM3', table: 'input', address: 2, type: 'float32' },
      { field: 'nmhcMgM3', table: 'input', address: 4, type: 'float32' },
      { field: 'fanCurrentA', table: 'input', address: 6, type: 'uint16', scale: 0.01 },
      { field: 'purifierCurrentA', table: 'input', address: 7, type: 'uint16', scale: 0.01 },
      { field: 'fanOn', table: 'discrete', address: 0, type: 'bool' },
      { field: 'purifierOn', table: 'discrete', address: 1, type: 'bool' }
    ]
  })
})
