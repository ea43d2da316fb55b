import { decodeField, isBitTable, registerSpan, type RegisterMap, type RegisterTable } from '@gangwan/contracts'

/** What one read request returned: consecutive values of one table from `start`. */
export interface RegisterBlock {
  table: RegisterTable
  start: number
  /** Words (0–65535) for register tables, booleans for coils and discrete inputs. */
  values: readonly number[] | readonly boolean[]
}

/** One read to issue: `count` consecutive addresses of `table` from `start`. */
export interface ReadRequest {
  table: RegisterTable
  start: number
  count: number
}

// Modbus Application Protocol v1.1b3 §6.1–6.4: at most 125 registers or 2000 bits per read.
const MAX_REGISTERS = 125
const MAX_BITS = 2000

/**
 * The fewest reads that cover every field of a map: per table, addresses merged into runs while
 * they are contiguous, split at the protocol's size limits. Gaps are never read across, since
 * many devices answer an unmapped address with an exception (02, illegal data address).
 */
export function planReads (map: RegisterMap): ReadRequest[] {
  const byTable = new Map<RegisterTable, number[]>()
  for (const f of map.fields) {
    const list = byTable.get(f.table) ?? []
    for (let a = f.address; a < f.address + registerSpan(f.type); a++) list.push(a)
    byTable.set(f.table, list)
  }
  const reads: ReadRequest[] = []
  for (const [table, addresses] of byTable) {
    const max = isBitTable(table) ? MAX_BITS : MAX_REGISTERS
    const sorted = [...new Set(addresses)].sort((a, b) => a - b)
    let run: ReadRequest | undefined
    for (const a of sorted) {
      if (run !== undefined && a === run.start + run.count && run.count < max) run.count++
      else { run = { table, start: a, count: 1 }; reads.push(run) }
    }
  }
  return reads
}

function rawAt (blocks: readonly RegisterBlock[], table: RegisterTable, address: number): number | boolean {
  for (const b of blocks) {
    if (b.table === table && address >= b.start && address < b.start + b.values.length) return b.values[address - b.start]!
  }
  throw new RangeError(`${table} ${address} was not read`)
}

/**
 * Decodes what was read from a device into telemetry fields, per its model's register map:
 * field name → engineering value (raw × scale, 32-bit values in the map's word order, bools).
 * Throws a `RangeError` when a mapped address is missing from `blocks` or holds the wrong shape.
 *
 * @example
 * const map = MODBUS_MODELS['noise-nm100'].map
 * decodeRegisters(map, [{ table: 'holding', start: 0, values: [523, 610, 442, 551, 510, 463, 60, 1] }])
 * // { leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, intervalS: 60, valid: true }
 */
export function decodeRegisters (map: RegisterMap, blocks: readonly RegisterBlock[]): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {}
  for (const f of map.fields) {
    if (isBitTable(f.table)) {
      const bit = rawAt(blocks, f.table, f.address)
      if (typeof bit !== 'boolean') throw new RangeError(`${f.table} ${f.address}: expected a bit`)
      out[f.field] = decodeField(f, bit)
    } else {
      const words = Array.from({ length: registerSpan(f.type) }, (_, i) => rawAt(blocks, f.table, f.address + i))
      if (words.some((w) => typeof w !== 'number')) throw new RangeError(`${f.table} ${f.address}: expected words`)
      out[f.field] = decodeField(f, words as number[])
    }
  }
  return out
}
