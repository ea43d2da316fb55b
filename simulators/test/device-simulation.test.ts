import { describe, expect, it } from 'vitest'
import { CommunitySchema, HeartbeatSchema, parseTopic, TelemetrySchema, type CommunityInput } from '@gangwan/contracts'
import { createDeviceSimulation, FULL_PRESET, generateCommunity, type SimMessage } from '../src/index.ts'
import { HOUR, MONDAY_MIDNIGHT } from './support/drive-model.ts'

const community = generateCommunity({ seed: 4, buildings: 4, devices: 400 })
const start = MONDAY_MIDNIGHT + 7 * HOUR
const take = (n: number, seed: number, c: CommunityInput = community): SimMessage[] => {
  const sim = createDeviceSimulation(c, { seed, startMs: start })
  const out: SimMessage[] = []
  for (const m of sim) { out.push(m); if (out.length === n) break }
  return out
}

describe('createDeviceSimulation', () => {
  it('gives the same message sequence for the same seed and start, and a different one for another seed', () => {
    const a = take(20_000, 1)
    expect(take(20_000, 1)).toEqual(a)
    const b = take(20_000, 2)
    expect(b.map((m) => JSON.stringify(m.payload))).not.toEqual(a.map((m) => JSON.stringify(m.payload)))
  })

  it('emits in simulated-time order, every payload valid, seq strictly increasing per device and per heartbeat stream', () => {
    const msgs = createDeviceSimulation(community, { seed: 1, startMs: start }).pullUntil(start + 2 * HOUR)
    expect(msgs.slice(1).filter((m, i) => m.atMs < msgs[i]!.atMs)).toEqual([])
    const bad = msgs.filter((m) => !(m.kind === 'heartbeat' ? HeartbeatSchema : TelemetrySchema).safeParse(m.payload).success)
    expect(bad).toEqual([])
    const last = new Map<string, number>()
    for (const m of msgs) {
      const key = `${m.topic}`
      expect(m.payload.seq).toBe((last.get(key) ?? -1) + 1)
      last.set(key, m.payload.seq)
    }
    const kinds = new Set(msgs.map((m) => m.kind))
    for (const k of ['fire', 'elevator', 'fume', 'noise', 'heartbeat'] as const) expect(kinds.has(k)).toBe(true)
  })

  it('publishes each device on its gateway\'s topics; a direct device is its own gateway', () => {
    const parsed = CommunitySchema.parse(community)
    const sim = createDeviceSimulation(community, { seed: 1, startMs: start })
    expect(sim.clients.map((c) => c.id).sort()).toEqual([
      ...parsed.gateways.map((g) => g.id), ...parsed.devices.filter((d) => d.gateway === undefined).map((d) => d.id)
    ].sort())
    for (const m of sim.pullUntil(start + 10 * 60_000)) {
      const t = parseTopic(m.topic)!
      const device = parsed.devices.find((d) => d.id === m.deviceId)
      if (m.kind === 'heartbeat') {
        expect(t).toEqual({ gateway: m.clientId, channel: 'heartbeat' })
      } else {
        expect(t).toEqual({ gateway: device!.gateway ?? device!.id, device: device!.id, channel: 'telemetry' })
        expect(m.clientId).toBe(t.gateway)
      }
    }
  })

  it('keeps a device\'s messages independent of the rest of the community', () => {
    const small: CommunityInput = { ...community, devices: community.devices.filter((d, i) => i % 3 === 0) }
    const id = small.devices[0]!.id
    const mine = (msgs: SimMessage[]): unknown[] => msgs.filter((m) => m.deviceId === id).map((m) => m.payload)
    const full = createDeviceSimulation(community, { seed: 1, startMs: start }).pullUntil(start + HOUR)
    const part = createDeviceSimulation(small, { seed: 1, startMs: start }).pullUntil(start + HOUR)
    expect(mine(part).length).toBeGreaterThan(10)
    expect(mine(part)).toEqual(mine(full))
  })

  it('passes injections to the model: a fire alarm goes out at the injected time', () => {
    const sim = createDeviceSimulation(community, { seed: 1, startMs: start })
    const detector = community.devices.find((d) => d.kind === 'fire' && d.detector === 'smoke')!
    const at = start + 90_500
    sim.inject(detector.id, { fromMs: at, smokeDbM: 0.3, alarm: true })
    const alarm = sim.pullUntil(start + 5 * 60_000).find((m) => m.deviceId === detector.id && m.kind === 'fire' && m.payload.ts === at)
    expect(alarm?.payload).toMatchObject({ alarm: true, smokeDbM: 0.3 })
    expect(() => sim.inject(community.devices.find((d) => d.kind === 'noise')!.id, {})).toThrow(/no injections/)
  })

  it('runs the full 14,500-device community far faster than real time', () => {
    const full = generateCommunity({ ...FULL_PRESET, seed: 1 })
    const t0 = performance.now()
    // The morning peak (08:00–08:10), when the elevators are busiest.
    const sim = createDeviceSimulation(full, { seed: 1, startMs: MONDAY_MIDNIGHT + 8 * HOUR })
    const msgs = sim.pullUntil(MONDAY_MIDNIGHT + 8 * HOUR + 10 * 60_000)
    const wallS = (performance.now() - t0) / 1000
    // Realistic rates: every detector once a minute, busy lifts once a second: several hundred a second.
    expect(msgs.length / 600).toBeGreaterThan(300)
    // Ten simulated minutes must take well under ten wall minutes (×20 margin) on a 2-core box.
    expect(wallS).toBeLessThan(30)
  })
})
