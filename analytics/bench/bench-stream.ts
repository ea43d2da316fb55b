import { CommunitySchema, type Community, type Heartbeat, type Telemetry } from '@gangwan/contracts'
import { createDeviceSimulation, DEMO_PRESET, generateCommunity } from '@gangwan/simulators'
import type { Observation } from '../src/core/observation.ts'

/** Which load to generate: see {@link benchStream}. */
export type BenchMode = 'fire' | 'demo'

/** Options of {@link benchStream}. */
export interface BenchStreamOptions {
  mode: BenchMode
  messages: number
  /** Fire mode: each detector's report interval in measurement time, ms. */
  intervalMs: number
  /** Arrival delay of every message on the hub's wall clock, ms (a steady real-time link). */
  latencyMs?: number
}

/** 2025-06-02 08:00 in Guiyang (UTC+8), a Monday morning. */
const START_MS = Date.parse('2025-06-02T08:00:00+08:00')

/**
 * A community and the observations ingest would hand analytics for it, generated before timing
 * with the simulators' device models (seeded, so every run sees the same messages).
 *
 * - `fire`: the ~1000 smoke, heat and multi-sensor detectors of the demo community (no manual call
 *   points) behind its 20 gateways, each reporting every `intervalMs` (the fast-fire load of the
 *   ingest bench, where 1000 detectors publish as fast as PUBACKs return: about 40 ms each);
 * - `demo`: the whole demo community (2000 devices of the five kinds) at the models' own rates.
 *
 * Heartbeats of every client come every 60 s of measurement time. `receivedAt` is the publish time
 * plus `latencyMs`, i.e. a real-time link, so the clock-skew reference sees healthy clocks.
 *
 * @example const { community, observations } = benchStream({ mode: 'fire', messages: 100_000, intervalMs: 2000 })
 */
export function benchStream (o: BenchStreamOptions): { community: Community, observations: Observation[] } {
  const demo = CommunitySchema.parse(generateCommunity(DEMO_PRESET))
  const community: Community = o.mode === 'demo'
    ? demo
    : { ...demo, devices: demo.devices.filter((d) => d.kind === 'fire' && d.detector !== 'manual_call_point') }
  const sim = createDeviceSimulation(community, {
    seed: 7,
    startMs: START_MS,
    ...(o.mode === 'fire' ? { models: { fire: { reportIntervalMs: o.intervalMs } } } : {})
  })
  const latency = o.latencyMs ?? 20
  const observations: Observation[] = []
  while (observations.length < o.messages) {
    const m = sim.next()
    const receivedAt = m.atMs + latency
    if (m.kind === 'heartbeat') {
      observations.push({ type: 'heartbeat', client: m.clientId, heartbeat: m.payload as Heartbeat, receivedAt })
    } else {
      observations.push({ type: 'telemetry', device: m.deviceId, gateway: m.clientId, msg: m.payload as Telemetry, receivedAt })
    }
  }
  return { community, observations }
}
