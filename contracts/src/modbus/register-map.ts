import { z } from 'zod'

/** The four Modbus data tables: holding registers (FC 3), input registers (FC 4), coils (FC 1/5), discrete inputs (FC 2). */
export const REGISTER_TABLES = ['holding', 'input', 'coil', 'discrete'] as const
/** A Modbus data table; `coil` and `discrete` hold single bits, the others 16-bit words. */
export const RegisterTableSchema = z.enum(REGISTER_TABLES)
/** `holding`, `input`, `coil` or `discrete`. */
export type RegisterTable = z.infer<typeof RegisterTableSchema>

/** How a value is laid out in its table: 16- or 32-bit integers, an IEEE 754 float, or one bit. */
export const REGISTER_TYPES = ['uint16', 'int16', 'uint32', 'int32', 'float32', 'bool'] as const
/** The layout of one value; 32-bit types span two consecutive registers. */
export const RegisterTypeSchema = z.enum(REGISTER_TYPES)
/** `uint16`, `int16`, `uint32`, `int32`, `float32` or `bool`. */
export type RegisterType = z.infer<typeof RegisterTypeSchema>

/**
 * Order of the two 16-bit words of a 32-bit value: `big` puts the high word at the lower address
 * (ABCD, the Modbus convention and the default), `little` the low word first (CDAB, common on
 * meters with a little-endian CPU). Bytes inside a word are always big-endian (Modbus spec §4.2).
 */
export const WordOrderSchema = z.enum(['big', 'little'])
/** `big` (high word first, default) or `little`. */
export type WordOrder = z.infer<typeof WordOrderSchema>

/** Whether a table holds bits (coils, discrete inputs) rather than 16-bit words. */
export function isBitTable (table: RegisterTable): boolean {
  return table === 'coil' || table === 'discrete'
}

/**
 * How many addresses a value of `type` occupies in its table: 2 for 32-bit types, else 1.
 *
 * @example registerSpan('float32') // 2
 */
export function registerSpan (type: RegisterType): 1 | 2 {
  return type === 'uint32' || type === 'int32' || type === 'float32' ? 2 : 1
}

/**
 * One telemetry field read from a device: where it lives (`table`, zero-based protocol `address`,
 * not the 4xxxx/3xxxx "register number"), how it is laid out (`type`, `wordOrder` for 32-bit
 * types, default `big`), and the engineering value = raw × `scale` (e.g. 0.1 for a meter that
 * reports tenths of a dB). A `bool` in a register table is true when the word is non-zero.
 *
 * @example
 * RegisterFieldSchema.parse({ field: 'leq', table: 'holding', address: 0, type: 'uint16', scale: 0.1 })
 */
export const RegisterFieldSchema = z.object({
  field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be an identifier (a telemetry field name)'),
  table: RegisterTableSchema,
  address: z.number().int().min(0).max(65535),
  type: RegisterTypeSchema,
  scale: z.number().positive().finite().default(1),
  wordOrder: WordOrderSchema.optional()
}).strict().superRefine((f, ctx) => {
  if (isBitTable(f.table) && f.type !== 'bool') {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `a ${f.table} holds one bit: type must be bool` })
  }
  if (f.type === 'bool' && f.scale !== 1) {
    ctx.addIssue({ code: 'custom', path: ['scale'], message: 'a bool takes no scale' })
  }
  if (f.wordOrder !== undefined && registerSpan(f.type) !== 2) {
    ctx.addIssue({ code: 'custom', path: ['wordOrder'], message: 'wordOrder applies to 32-bit types only' })
  }
  if (f.address + registerSpan(f.type) - 1 > 65535) {
    ctx.addIssue({ code: 'custom', path: ['address'], message: 'a 32-bit value needs two registers below 65536' })
  }
})
/** One mapped field after parsing (defaults applied). */
export type RegisterField = z.infer<typeof RegisterFieldSchema>
/** One mapped field as written, before defaults. */
export type RegisterFieldInput = z.input<typeof RegisterFieldSchema>

/**
 * A device model's register map: every telemetry field it reports over Modbus. Field names are
 * unique, and no two fields overlap in the same table.
 *
 * @example
 * const map = RegisterMapSchema.parse({ fields: [
 *   { field: 'leq', table: 'holding', address: 0, type: 'uint16', scale: 0.1 },
 *   { field: 'valid', table: 'discrete', address: 0, type: 'bool' }
 * ] })
 */
export const RegisterMapSchema = z.object({
  fields: z.array(RegisterFieldSchema).min(1).max(256)
}).strict().superRefine((m, ctx) => {
  const names = new Set<string>()
  const used = new Map<string, string>()
  m.fields.forEach((f, i) => {
    if (names.has(f.field)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'field'], message: `field "${f.field}" is mapped twice` })
    names.add(f.field)
    for (let a = f.address; a < f.address + registerSpan(f.type); a++) {
      const owner = used.get(`${f.table}:${a}`)
      if (owner !== undefined) ctx.addIssue({ code: 'custom', path: ['fields', i, 'address'], message: `${f.table} ${a} is already used by "${owner}"` })
      used.set(`${f.table}:${a}`, f.field)
    }
  })
})
/** A parsed register map. */
export type RegisterMap = z.infer<typeof RegisterMapSchema>
/** A register map as written, before defaults. */
export type RegisterMapInput = z.input<typeof RegisterMapSchema>
