import type { Server } from 'node:net'
import { ServerTCP, type FCallbackVal } from 'modbus-serial'
import { encodeRegisters, MODBUS_MODELS, type ModbusModelId, type RegisterImage } from '@gangwan/contracts'

/** One Modbus unit served: a device model whose registers come from `read()` at request time. */
export interface ModbusServedUnit {
  unitId: number
  /** The register layout; a unit without one only takes coil writes (a relay). */
  model?: ModbusModelId
  /** The device's current values, by telemetry field (a whole payload may be returned). */
  read?: () => Readonly<Record<string, unknown>>
}

/** Options of {@link createModbusDeviceServer}. */
export interface ModbusDeviceServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string
  /** TCP port; 0 picks a free one. */
  port: number
  units: readonly ModbusServedUnit[]
}

/** A running Modbus TCP server of simulated devices. */
export interface ModbusDeviceServer {
  port: number
  /** Coil states written to a unit (FC 5/15), by address; unwritten coils read false. */
  coils: (unitId: number) => boolean[]
  /** Client connections open now. */
  connections: () => number
  /** Stops listening and drops every client connection. */
  close: () => Promise<void>
}

// Modbus Application Protocol v1.1b3 §7 exception codes.
const ILLEGAL_FUNCTION = 0x01
const ILLEGAL_ADDRESS = 0x02
const DEVICE_FAILURE = 0x04
const TARGET_NO_ANSWER = 0x0b
const exception = (modbusErrorCode: number, msg: string): { modbusErrorCode: number; msg: string } => ({ modbusErrorCode, msg })

/**
 * Serves simulated devices over Modbus TCP (modbus-serial's `ServerTCP`): each unit's registers
 * are laid out per its model's map (`MODBUS_MODELS`) from `read()` at request time. An unknown
 * unit answers exception 0B (gateway target failed to respond), an unmapped address 02, a
 * `read()` that throws or cannot be encoded 04. Coil writes are recorded, so a test can see a
 * sounder relay switched.
 *
 * @example
 * const server = await createModbusDeviceServer({ port: 0, units: [{ unitId: 1, model: 'noise-nm100', read: () => meter.latest }] })
 * // poll 127.0.0.1:server.port, unit 1 … then:
 * await server.close()
 */
export async function createModbusDeviceServer (opts: ModbusDeviceServerOptions): Promise<ModbusDeviceServer> {
  const units = new Map(opts.units.map((u) => [u.unitId, u]))
  if (units.size !== opts.units.length) throw new RangeError('unit ids must be unique')
  for (const u of opts.units) {
    if (!(Number.isInteger(u.unitId) && u.unitId >= 0 && u.unitId <= 247)) throw new RangeError(`unit id ${u.unitId} is outside 0-247`)
    if (u.model !== undefined && !(u.model in MODBUS_MODELS)) throw new RangeError(`unknown Modbus model "${u.model}"`)
  }
  const written = new Map<number, boolean[]>()

  const unit = (unitId: number): ModbusServedUnit => {
    const u = units.get(unitId)
    if (u === undefined) throw exception(TARGET_NO_ANSWER, `no unit ${unitId}`)
    return u
  }
  const image = (unitId: number): RegisterImage => {
    const u = unit(unitId)
    if (u.model === undefined || u.read === undefined) throw exception(ILLEGAL_ADDRESS, `unit ${unitId} has no registers`)
    try {
      return encodeRegisters(MODBUS_MODELS[u.model].map, u.read())
    } catch (err) {
      throw exception(DEVICE_FAILURE, (err as Error).message)
    }
  }
  const words = (table: 'holding' | 'input', addr: number, length: number, unitId: number): number[] => {
    const regs = image(unitId)[table]
    return Array.from({ length }, (_, i) => {
      const w = regs.get(addr + i)
      if (w === undefined) throw exception(ILLEGAL_ADDRESS, `${table} ${addr + i} is not mapped`)
      return w
    })
  }
  // The multi-register getters take a callback: modbus-serial only awaits that form.
  const multi = (table: 'holding' | 'input') => (addr: number, length: number, unitId: number, cb: FCallbackVal<number[]>): void => {
    let values: number[]
    // modbus-serial turns an error's `modbusErrorCode` into the exception response.
    try { values = words(table, addr, length, unitId) } catch (err) { cb(err as Error, []); return }
    cb(null, values)
  }
  const bit = (table: 'coil' | 'discrete', addr: number, unitId: number): boolean => {
    const u = unit(unitId)
    const w = table === 'coil' ? written.get(unitId)?.[addr] : undefined
    if (w !== undefined) return w
    const b = u.model !== undefined ? image(unitId)[table].get(addr) : undefined
    if (b !== undefined) return b
    if (table === 'coil') return false
    throw exception(ILLEGAL_ADDRESS, `discrete input ${addr} is not mapped`)
  }
  const readOnly = (): never => { throw exception(ILLEGAL_FUNCTION, 'registers are read-only') }

  const server = new ServerTCP({
    getHoldingRegister: (addr: number, unitId: number) => words('holding', addr, 1, unitId)[0]!,
    getInputRegister: (addr: number, unitId: number) => words('input', addr, 1, unitId)[0]!,
    getMultipleHoldingRegisters: multi('holding'),
    getMultipleInputRegisters: multi('input'),
    getCoil: (addr: number, unitId: number) => bit('coil', addr, unitId),
    getDiscreteInput: (addr: number, unitId: number) => bit('discrete', addr, unitId),
    setCoil: (addr: number, value: boolean, unitId: number) => {
      unit(unitId)
      const list = written.get(unitId) ?? []
      list[addr] = value
      written.set(unitId, list)
    },
    setRegister: readOnly,
    setRegisterArray: readOnly
  }, {
    host: opts.host ?? '127.0.0.1',
    // ServerTCP reads `port || 502`, so an ephemeral port has to be asked for as the string '0'.
    port: (opts.port === 0 ? '0' : opts.port) as number
  })
  // ServerTCP keeps its net.Server private; the bound port (for port 0) is only known there.
  const net = (server as unknown as { _server: Server })._server
  await new Promise<void>((resolve, reject) => {
    server.once('initialized', () => resolve())
    server.once('serverError', (err: Error) => reject(err))
  })
  server.on('socketError', () => {})
  server.on('error', () => {})
  const address = net.address()
  const port = typeof address === 'object' && address !== null ? address.port : opts.port
  let closing: Promise<void> | undefined
  return {
    port,
    coils: (unitId) => Array.from(written.get(unitId) ?? [], (v) => v ?? false),
    connections: () => server.socks.size,
    close: async () => {
      closing ??= new Promise<void>((resolve) => { server.close(() => resolve()) })
      await closing
    }
  }
}
