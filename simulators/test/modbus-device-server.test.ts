import { afterEach, describe, expect, it } from 'vitest'
import ModbusRTU from 'modbus-serial'
import { createModbusDeviceServer, type ModbusDeviceServer } from '../src/modbus/create-modbus-device-server.ts'

const noise = { kind: 'noise', seq: 3, ts: 1_763_800_000_000, intervalS: 60, leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, valid: true }

describe('createModbusDeviceServer', () => {
  let server: ModbusDeviceServer | undefined
  const client = new ModbusRTU.default()
  afterEach(async () => {
    if (client.isOpen) await new Promise((resolve) => { client.close(resolve) })
    await server?.close()
  })

  const connect = async (units: Parameters<typeof createModbusDeviceServer>[0]['units']): Promise<void> => {
    server = await createModbusDeviceServer({ port: 0, units })
    expect(server.port).toBeGreaterThan(0)
    client.setTimeout(1000)
    await client.connectTCP('127.0.0.1', { port: server.port })
  }

  it('serves a unit\'s registers from read() at request time, per its model', async () => {
    let leq = 52.3
    await connect([{ unitId: 4, model: 'noise-nm100', read: () => ({ ...noise, leq }) }])
    client.setID(4)
    expect((await client.readHoldingRegisters(0, 8)).data).toEqual([523, 610, 442, 551, 510, 463, 60, 1])
    leq = 58.8
    expect((await client.readHoldingRegisters(0, 1)).data).toEqual([588])
  })

  it('serves discrete inputs and float registers (fume-fm200)', async () => {
    const fume = { fumeMgM3: 0.8, particulateMgM3: 1.9, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 0, purifierOn: false }
    await connect([{ unitId: 1, model: 'fume-fm200', read: () => fume }])
    client.setID(1)
    expect((await client.readInputRegisters(0, 2)).buffer.readFloatBE(0)).toBeCloseTo(0.8, 6)
    expect((await client.readDiscreteInputs(0, 2)).data.slice(0, 2)).toEqual([true, false])
  })

  it('answers an unknown unit with exception 0B and an unmapped address with 02', async () => {
    await connect([{ unitId: 1, model: 'noise-nm100', read: () => noise }])
    client.setID(9)
    await expect(client.readHoldingRegisters(0, 1)).rejects.toMatchObject({ modbusCode: 0x0b })
    client.setID(1)
    await expect(client.readHoldingRegisters(7, 2)).rejects.toMatchObject({ modbusCode: 0x02 })
    await expect(client.readInputRegisters(0, 1)).rejects.toMatchObject({ modbusCode: 0x02 })
  })

  it('answers exception 04 when read() fails or its values do not fit the map', async () => {
    await connect([
      { unitId: 1, model: 'noise-nm100', read: () => { throw new Error('sensor gone') } },
      { unitId: 2, model: 'noise-nm100', read: () => ({ ...noise, lmax: 7000 }) }
    ])
    client.setID(1)
    await expect(client.readHoldingRegisters(0, 8)).rejects.toMatchObject({ modbusCode: 0x04 })
    client.setID(2)
    await expect(client.readHoldingRegisters(0, 8)).rejects.toMatchObject({ modbusCode: 0x04 })
  })

  it('records coil writes per unit, a relay unit needing no model', async () => {
    await connect([{ unitId: 1, model: 'noise-nm100', read: () => noise }, { unitId: 5 }])
    client.setID(5)
    await client.writeCoil(2, true)
    expect(server!.coils(5)).toEqual([false, false, true])
    expect((await client.readCoils(2, 1)).data[0]).toBe(true)
    await client.writeCoil(2, false)
    expect(server!.coils(5)).toEqual([false, false, false])
    expect(server!.coils(1)).toEqual([])
  })

  it('refuses duplicate unit ids and unknown models', async () => {
    await expect(createModbusDeviceServer({ port: 0, units: [{ unitId: 1 }, { unitId: 1 }] })).rejects.toThrow(RangeError)
    await expect(createModbusDeviceServer({ port: 0, units: [{ unitId: 1, model: 'nope' as never }] })).rejects.toThrow(/unknown Modbus model/)
  })
})
