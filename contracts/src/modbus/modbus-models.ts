import { z } from 'zod'
import type { ModbusModel } from './modbus-model.ts'
import { FUME_FM200 } from './models/fume-fm200.ts'
import { FUME_FM300 } from './models/fume-fm300.ts'
import { NOISE_NM100 } from './models/noise-nm100.ts'

/**
 * Every Modbus device model the edge agent can read, by model id: the one place that maps a
 * model to its kind and register map. Add a model by adding a file under `models/` and a line here.
 *
 * @example
 * const { kind, map } = MODBUS_MODELS['noise-nm100'] // kind 'noise'
 */
export const MODBUS_MODELS = Object.freeze({
  'noise-nm100': NOISE_NM100,
  'fume-fm200': FUME_FM200,
  'fume-fm300': FUME_FM300
} satisfies Record<string, ModbusModel>)

/** Id of a model in {@link MODBUS_MODELS}. */
export type ModbusModelId = keyof typeof MODBUS_MODELS

/**
 * A model id, checked against {@link MODBUS_MODELS}.
 *
 * @example ModbusModelIdSchema.parse('fume-fm200')
 */
export const ModbusModelIdSchema = z.enum(Object.keys(MODBUS_MODELS) as [ModbusModelId, ...ModbusModelId[]])
