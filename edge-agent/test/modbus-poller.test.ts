import { afterEach, describe, expect, it } from 'vitest'
import pino from 'pino'
import { TelemetrySchema } from '@gangwan/contracts'
import { createModbusDeviceServer, type ModbusDeviceServer, type ModbusServedUnit } from '@gangwan/simulators/modbus'
import { eventually } from '../../test-support/eventually.ts'
import { createModbusPoller, type ModbusDeviceConfigInput, type ModbusPoller, type PolledReading } from '../src/southbound/modbus/create-modbus-poller.ts'
import { createModbusRelay, type ModbusRelay } from '../src/southbound/modbus/create-modbus-relay.ts'

const T0 = 1_763_800_000_000
const noise = { kind: 'noise', seq: 9, ts: T0, intervalS: 60, leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, valid: true }
const fume = { fumeMgM3: 0.8, particulateMgM3: 1.9, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 1.2, purifierOn: true }
const FAST = { intervalS: 1, timeoutMs: 300 }

/** A pino logger writing JSON lines into an array, so the test can read what was logged. */
function memoryLog (): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  return { log: pino({ level: 'debug' }, { write: (s: string) => { lines.push(JSON.parse(s) as Record<string, unknown>) } }), lines }
}

describe('createModbusPoller over real Modbus TCP', () => {
  const servers: ModbusDeviceServer[] = []
  const pollers: ModbusPoller[] = []
  const relays: ModbusRelay[] = []
  const serve = async (units: ModbusServedUnit[], port = 0): Promise<ModbusDeviceServer> => {
    const s = await createModbusDeviceServer({ port, units })
    servers.push(s)
    return s
  }
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map(async (p) => { await p.stop() }))
    await Promise.all(relays.splice(0).map(async (r) => { await r.close() }))
    await Promise.all(servers.splice(0).map(async (s) => { await s.close() }))
  })

  it('decodes two models, survives a dead server and a missing unit, and reports presence on change', async () => {
    let leq = 52.3
    const a = await serve([{ unitId: 1, model: 'noise-nm100', read: () => ({ ...noise, leq }) }])
    const b = await serve([
      { unitId: 2, model: 'fume-fm200', read: () => fume },
      { unitId: 3, model: 'fume-fm300', read: () => ({ ...fume, fumeMgM3: 1.234, fanOn: false }) }
    ])
    const devices: ModbusDeviceConfigInput[] = [
      { id: 'N-G01-01', kind: 'noise', model: 'noise-nm100', host: '127.0.0.1', port: a.port, unitId: 1, ...FAST },
      { id: 'R-01', kind: 'fume', model: 'fume-fm200', host: '127.0.0.1', port: b.port, unitId: 2, ...FAST },
      { id: 'R-02', kind: 'fume', model: 'fume-fm300', host: '127.0.0.1', port: b.port, unitId: 3, ...FAST },
      { id: 'R-99', kind: 'fume', model: 'fume-fm200', host: '127.0.0.1', port: b.port, unitId: 99, ...FAST }
    ]
    const readings: PolledReading[] = []
    const presence: string[] = []
    let tick = 0
    const { log, lines } = memoryLog()
    const poller = createModbusPoller({
      devices, log, now: () => T0 + 1000 * tick++, backoff: { minMs: 50, maxMs: 200 },
      onReading: (r) => readings.push(r),
      onPresence: (id, state, reason) => presence.push(`${id} ${state} ${reason}`)
    })
    pollers.push(poller)
    await poller.start()

    const of = (id: string): PolledReading[] => readings.filter((r) => r.deviceId === id)
    await eventually(() => of('N-G01-01').length > 0 && of('R-01').length > 0 && of('R-02').length > 0, 5000, 'first readings')
    expect(of('N-G01-01')[0]).toMatchObject({ kind: 'noise', fields: { leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, intervalS: 60, valid: true } })
    expect(of('R-01')[0]!.fields).toEqual(fume)
    expect(of('R-02')[0]!.fields).toEqual({ ...fume, fumeMgM3: 1.234, fanOn: false })
    for (const r of readings) {
      const parsed = TelemetrySchema.safeParse({ ...r.fields, kind: r.kind, seq: 0, ts: r.ts })
      expect(parsed.success, JSON.stringify(r)).toBe(true)
      expect(r.ts).toBeGreaterThanOrEqual(T0)
    }
    // The three units behind b share one connection.
    expect(b.connections()).toBe(1)
    leq = 58.8
    await eventually(() => of('N-G01-01').some((r) => r.fields.leq === 58.8), 5000, 'the new leq')

    // A unit nobody answers for: exceptions, then offline, never disturbing its neighbours.
    await eventually(() => presence.includes('R-99 offline no-answer'), 6000, 'R-99 offline')
    expect(lines.some((l) => l.deviceId === 'R-99' && l.reason === 'exception' && l.modbusCode === 0x0b && l.level === 40)).toBe(true)

    await a.close()
    await eventually(() => presence.includes('N-G01-01 offline no-answer'), 8000, 'N-G01-01 offline')
    const fumeBefore = of('R-01').length
    await eventually(() => of('R-01').length >= fumeBefore + 2, 5000, 'R-01 still polled')
    expect(lines.some((l) => l.deviceId === 'N-G01-01' && (l.reason === 'disconnected' || l.reason === 'connect-failed'))).toBe(true)

    await serve([{ unitId: 1, model: 'noise-nm100', read: () => ({ ...noise, leq: 40.1, lmin: 40, l90: 40 }) }], a.port)
    await eventually(() => presence.includes('N-G01-01 online answered') && presence.lastIndexOf('N-G01-01 online answered') > presence.indexOf('N-G01-01 offline no-answer'), 5000, 'N-G01-01 back online')
    await eventually(() => of('N-G01-01').some((r) => r.fields.leq === 40.1), 3000, 'a reading from the restarted server')

    expect(presence.filter((p) => p.startsWith('N-G01-01'))).toEqual(['N-G01-01 online answered', 'N-G01-01 offline no-answer', 'N-G01-01 online answered'])
    expect(presence.filter((p) => p.startsWith('R-01'))).toEqual(['R-01 online answered'])
    const stats = poller.stats()
    expect(stats.errors).toBeGreaterThanOrEqual(6)
    expect(stats.polls).toBeGreaterThan(stats.errors)

    await poller.stop()
    await eventually(() => b.connections() === 0, 2000, 'the poller\'s socket closed')
    const polls = poller.stats().polls
    // An absence can only be watched for: one poll interval and a bit, in which nothing may be polled.
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(poller.stats().polls).toBe(polls)
  })

  it('applies setIntervalS at once and validates it', async () => {
    const s = await serve([{ unitId: 1, model: 'fume-fm200', read: () => fume }])
    const readings: PolledReading[] = []
    const poller = createModbusPoller({
      devices: [{ id: 'R-01', kind: 'fume', model: 'fume-fm200', host: '127.0.0.1', port: s.port, unitId: 1, intervalS: 3600 }],
      log: memoryLog().log, onReading: (r) => readings.push(r), onPresence: () => {}
    })
    pollers.push(poller)
    expect(() => { poller.setIntervalS(undefined, 0.5) }).toThrow(RangeError)
    expect(() => { poller.setIntervalS('R-77', 5) }).toThrow(/no Modbus device/)
    await poller.start()
    await eventually(() => readings.length === 1, 3000, 'first reading')
    poller.setIntervalS('R-01', 1)
    await eventually(() => readings.length >= 3, 5000, 'readings every second')
  })

  it('refuses a model of another kind and duplicate ids', () => {
    const base = { id: 'R-01', kind: 'noise', model: 'fume-fm200', host: '127.0.0.1', port: 502, unitId: 1 } as const
    const opts = { log: memoryLog().log, onReading: () => {}, onPresence: () => {} }
    expect(() => createModbusPoller({ ...opts, devices: [base] })).toThrow(/fume device, not noise/)
    const ok = { ...base, kind: 'fume' } as const
    expect(() => createModbusPoller({ ...opts, devices: [ok, ok] })).toThrow(/configured twice/)
  })

  it('relay: set(true) writes the coil, and a dropped connection is re-opened by itself', async () => {
    const s = await serve([{ unitId: 7 }])
    const relay = createModbusRelay({ host: '127.0.0.1', port: s.port, unitId: 7, coil: 3, log: memoryLog().log, timeoutMs: 500 })
    relays.push(relay)
    await relay.set(true)
    expect(s.coils(7)[3]).toBe(true)
    await s.close()
    const again = await serve([{ unitId: 7 }], s.port)
    await relay.set(false)
    expect(again.coils(7)).toEqual([false, false, false, false])
    await relay.set(true)
    expect(again.coils(7)[3]).toBe(true)
  })

  it('relay: a unit that refuses fails at once with the exception', async () => {
    const s = await serve([{ unitId: 1, model: 'noise-nm100', read: () => noise }])
    const relay = createModbusRelay({ host: '127.0.0.1', port: s.port, unitId: 8, coil: 0, log: memoryLog().log })
    relays.push(relay)
    await expect(relay.set(true)).rejects.toMatchObject({ reason: 'exception', modbusCode: 0x0b })
  })
})
