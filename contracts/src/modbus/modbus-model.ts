import { z } from 'zod'
import type { RegisterMap } from './register-map.ts'

/** Device kinds that are read over Modbus TCP: noise meters and fume monitors. */
export const ModbusKindSchema = z.enum(['noise', 'fume'])
/** `noise` or `fume`. */
export type ModbusKind = z.infer<typeof ModbusKindSchema>

/**
 * A device model spoken over Modbus: the telemetry kind its readings become, and its register
 * map. Decoding the map gives every field of that kind's telemetry except `kind`, `seq` and `ts`,
 * which the reader adds.
 *
 * @example
 * const { kind, map } = MODBUS_MODELS['fume-fm200']
 */
export interface ModbusModel {
  kind: ModbusKind
  /** What the model is, for operators choosing one. */
  description: string
  map: RegisterMap
}
