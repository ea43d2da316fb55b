import type { Community, ModbusModelId, Telemetry } from '@gangwan/contracts'
import type { Scenario } from '../scenarios/scenario-schema.ts'
import { createDeviceSimulation, type ModelOptionsOverride } from '../simulation/create-device-simulation.ts'
import { createModbusDeviceServer, type ModbusDeviceServer } from './create-modbus-device-server.ts'

/** Where one device answers: the server's port, its unit id, kind and register model (an edge agent's device entry without `id` and `host`). */
export interface ModbusDeviceAddress { kind: 'noise' | 'fume'; model: ModbusModelId; port: number; unitId: number }

/** Options of {@link serveCommunityModbus}; `seed`, `startMs`, `speed`, `scenario` as the MQTT run's. */
export interface ServeCommunityModbusOptions {
  community: Community
  seed: number
  startMs: number
  /** Simulated seconds per wall second. */
  speed: number
  scenario?: Scenario
  models?: ModelOptionsOverride
  host?: string
  /** First port; 0 picks free ones. A community with more than 247 such devices takes port+1, port+2… */
  port: number
}

/** The community's Modbus servers and which device answers where. */
export interface CommunityModbus {
  host: string
  devices: Record<string, ModbusDeviceAddress>
  close: () => Promise<void>
}

// One Modbus server addresses units 1–247 (Modbus over Serial Line v1.02 §2.2).
const UNITS_PER_SERVER = 247

/**
 * Exposes a community's noise meters and fume monitors over Modbus TCP, each serving the
 * latest reading its model produced on the simulated clock (start + elapsed wall time × speed).
 * Devices take unit ids 1, 2, … in device-id order; noise meters use model `noise-nm100`, fume
 * monitors alternate `fume-fm200` / `fume-fm300` so both layouts are exercised. The models run in
 * a simulation of their own (same seed, so the same values the MQTT run publishes), stepped when
 * a request arrives; it is primed with each device's first report so no unit starts empty.
 *
 * @example
 * const modbus = await serveCommunityModbus({ community, seed: 1, startMs: Date.now(), speed: 1, port: 1502 })
 * modbus.devices['N-G01-01'] // { kind: 'noise', model: 'noise-nm100', port: 1502, unitId: 17 }
 */
export async function serveCommunityModbus (opts: ServeCommunityModbusOptions): Promise<CommunityModbus> {
  const exposed = opts.community.devices.filter((d) => d.kind === 'noise' || d.kind === 'fume').sort((a, b) => (a.id < b.id ? -1 : 1))
  // Without a scenario only these devices need to run (a device's stream does not depend on the
  // others); a scenario is checked against the whole community, so it keeps everything.
  const community = opts.scenario !== undefined ? opts.community : { ...opts.community, devices: exposed }
  const sim = createDeviceSimulation(community, {
    seed: opts.seed, startMs: opts.startMs, heartbeatIntervalMs: 0,
    ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}), ...(opts.models !== undefined ? { models: opts.models } : {})
  })
  const latest = new Map<string, Telemetry>()
  const keep = (m: { deviceId: string; kind: string; payload: unknown }): void => {
    if (m.kind === 'noise' || m.kind === 'fume') latest.set(m.deviceId, m.payload as Telemetry)
  }
  while (latest.size < exposed.length && sim.peekMs() <= opts.startMs + 3_600_000) keep(sim.next())
  const wall0 = performance.now()
  const endMs = opts.scenario?.endMs ?? Infinity
  const read = (deviceId: string) => (): Telemetry => {
    const simNow = Math.min(endMs, opts.startMs + (performance.now() - wall0) * opts.speed)
    for (const m of sim.pullUntil(simNow)) keep(m)
    const payload = latest.get(deviceId)
    if (payload === undefined) throw new RangeError(`${deviceId} has not reported yet`)
    return payload
  }

  const host = opts.host ?? '127.0.0.1'
  const devices: Record<string, ModbusDeviceAddress> = {}
  const servers: ModbusDeviceServer[] = []
  let fume = 0
  try {
    for (let i = 0; i < exposed.length; i += UNITS_PER_SERVER) {
      const chunk = exposed.slice(i, i + UNITS_PER_SERVER)
      const units = chunk.map((d, k) => ({
        kind: d.kind as 'noise' | 'fume',
        unitId: k + 1,
        model: (d.kind === 'noise' ? 'noise-nm100' : fume++ % 2 === 0 ? 'fume-fm200' : 'fume-fm300') as ModbusModelId,
        read: read(d.id)
      }))
      const server = await createModbusDeviceServer({ host, port: opts.port === 0 ? 0 : opts.port + servers.length, units })
      servers.push(server)
      chunk.forEach((d, k) => { devices[d.id] = { kind: units[k]!.kind, model: units[k]!.model, port: server.port, unitId: units[k]!.unitId } })
    }
  } catch (err) {
    await Promise.all(servers.map(async (s) => { await s.close() }))
    throw err
  }
  return {
    host,
    devices,
    close: async () => { await Promise.all(servers.map(async (s) => { await s.close() })) }
  }
}
