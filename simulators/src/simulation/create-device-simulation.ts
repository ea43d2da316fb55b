import {
  CommunitySchema, formatIssues, GangwanError, topics, type Community, type CommunityInput, type DeviceKind, type Heartbeat, type Telemetry
} from '@gangwan/contracts'
import { createFaultInjector, type FaultInjector } from '../faults/create-fault-injector.ts'
import type { FaultSpecInput } from '../faults/fault-spec.ts'
import { DEFAULT_MODEL_OPTIONS, type DeviceModel, type DeviceSetup, type ModelOptions } from '../kinds/device-model.ts'
import { DEVICE_MODELS } from '../kinds/device-models.ts'
import { createLocalClock } from '../local-clock.ts'
import { createRng, deviceSeed, hashSeed, type Rng } from '../rng.ts'
import { planScenario } from '../scenarios/plan-scenario.ts'
import type { Scenario } from '../scenarios/scenario-schema.ts'
import { createTimeQueue } from './time-queue.ts'

/** One message the simulated community publishes. */
export interface SimMessage {
  /** MQTT client that publishes it: the device's gateway, or the device itself when direct. */
  clientId: string
  /** Device the payload is about; for a heartbeat, the client. */
  deviceId: string
  kind: DeviceKind | 'heartbeat'
  topic: string
  payload: Telemetry | Heartbeat
  /** Simulated time the message is published, epoch ms; telemetry `ts` may be earlier (a tracked event). */
  atMs: number
}

/** An MQTT client of the community: a gateway with its devices, or a device that connects directly. */
export interface SimClient {
  id: string
  role: 'gateway' | 'device'
  devices: string[]
}

/** Model parameters to override, kind by kind. */
export type ModelOptionsOverride = { [K in keyof ModelOptions]?: Partial<ModelOptions[K]> }

/** Options of {@link createDeviceSimulation}. */
export interface DeviceSimulationOptions {
  seed: number
  /** Simulated start time, epoch ms. */
  startMs: number
  models?: ModelOptionsOverride
  /** Heartbeat period of every client in simulated ms (HeartbeatSchema); 0 turns heartbeats off. Default 60 s. */
  heartbeatIntervalMs?: number
  /**
   * A scenario (see `loadScenario`) to play: its background options, injections and faults are
   * applied; `seed` and `startMs` must be the scenario's, so the run matches its ground truth.
   * `models` overrides still apply on top (and are then not reflected in the ground truth).
   */
  scenario?: Scenario
  /** Faults (simulators/src/faults) applied to a device's messages as they leave its model, by device id. */
  faults?: Readonly<Record<string, readonly FaultSpecInput[]>>
}

/** The whole community's devices as one stream of messages in simulated-time order. */
export interface DeviceSimulation extends Iterable<SimMessage> {
  readonly community: Community
  readonly clients: readonly SimClient[]
  /** The next message (the stream never ends: heartbeats and periodic reports go on). */
  next: () => SimMessage
  /** Simulated time of the next message (or of the next model step, which may yield none). */
  peekMs: () => number
  /** Every message due at or before `simMs`, at most `max`. */
  pullUntil: (simMs: number, max?: number) => SimMessage[]
  /** Hands a kind-specific injection to a device's model (e.g. a {@link FireInjection}); throws if its kind has none. */
  inject: (deviceId: string, injection: unknown) => void
}

interface Entry {
  model: DeviceModel<DeviceKind, unknown, unknown>; state: unknown; rng: Rng; clientId: string; deviceId: string; topic: string
  faults?: FaultInjector<DeviceKind>
}
interface HeartbeatEntry { client: SimClient; rng: Rng; seq: number }

function mergeOptions (base: ModelOptionsOverride | undefined, o: ModelOptionsOverride | undefined): ModelOptions {
  const d = DEFAULT_MODEL_OPTIONS
  return {
    fire: { ...d.fire, ...base?.fire, ...o?.fire },
    elevator: { ...d.elevator, ...base?.elevator, ...o?.elevator },
    fume: { ...d.fume, ...base?.fume, ...o?.fume },
    noise: { ...d.noise, ...base?.noise, ...o?.noise },
    fallingObject: { ...d.fallingObject, ...base?.fallingObject, ...o?.fallingObject }
  }
}

/** The scenario's faults and the caller's, by device, scenario first. */
function mergeFaults (a: Readonly<Record<string, readonly FaultSpecInput[]>> = {}, b: Readonly<Record<string, readonly FaultSpecInput[]>> = {}): Map<string, FaultSpecInput[]> {
  const out = new Map<string, FaultSpecInput[]>()
  for (const src of [a, b]) for (const [id, list] of Object.entries(src)) out.set(id, [...(out.get(id) ?? []), ...list])
  return out
}

/**
 * Runs every device model of a community without MQTT and yields their messages in simulated-time
 * order, heartbeats of every client included. Each device has its own random source derived from
 * the seed and its id, so the same seed and start give the same messages, and a device's stream
 * does not depend on the rest of the community.
 *
 * @example
 * const sim = createDeviceSimulation(community, { seed: 1, startMs: Date.parse('2025-06-02T08:00:00+08:00') })
 * const firstHour = sim.pullUntil(sim.peekMs() + 3_600_000)
 * // A scenario: its incidents and faults at their times.
 * const run = createDeviceSimulation(community, { seed: scenario.seed, startMs: scenario.startMs, scenario })
 */
export function createDeviceSimulation (input: Community | CommunityInput, opts: DeviceSimulationOptions): DeviceSimulation {
  const parsed = CommunitySchema.safeParse(input)
  if (!parsed.success) throw new GangwanError('GW_ERR_COMMUNITY_INVALID', `community is invalid:\n  ${formatIssues(parsed.error).join('\n  ')}`)
  const community = parsed.data
  const scenario = opts.scenario
  if (scenario !== undefined && (scenario.seed !== opts.seed || scenario.startMs !== opts.startMs)) {
    throw new RangeError(`seed and startMs must be the scenario's (${scenario.seed}, ${new Date(scenario.startMs).toISOString()}): load it with overrides instead`)
  }
  const plan = scenario !== undefined ? planScenario(scenario, community) : undefined
  const options = mergeOptions(plan?.models, opts.models)
  const faults = mergeFaults(plan?.faults, opts.faults)
  for (const id of faults.keys()) if (!community.devices.some((d) => d.id === id)) throw new RangeError(`faults for "${id}", which is not in the community`)
  const clock = createLocalClock(community.timezone)
  const sharedSeed = hashSeed(opts.seed, `community:${community.id}`)
  const buildings = new Map(community.buildings.map((b) => [b.id, b]))
  const byClient = new Map<string, SimClient>(community.gateways.map((g) => [g.id, { id: g.id, role: 'gateway', devices: [] }]))

  const entries: Entry[] = []
  const queue = createTimeQueue(2 * community.devices.length + byClient.size)
  for (const device of community.devices) {
    const clientId = device.gateway ?? device.id
    let client = byClient.get(clientId)
    if (client === undefined) { client = { id: clientId, role: 'device', devices: [] }; byClient.set(clientId, client) }
    client.devices.push(device.id)
    const model = DEVICE_MODELS[device.kind] as DeviceModel<DeviceKind, unknown, unknown>
    const setup: DeviceSetup<DeviceKind> = { device, community, building: buildings.get(device.building)!, clock, sharedSeed, options }
    const rng = createRng(deviceSeed(opts.seed, device.id))
    const { state, nextMs } = model.init(setup, opts.startMs, rng)
    queue.schedule(entries.length, nextMs)
    const entry: Entry = { model, state, rng, clientId, deviceId: device.id, topic: topics.telemetry(clientId, device.id) }
    const list = faults.get(device.id)
    if (list !== undefined) entry.faults = createFaultInjector(device.kind, list, hashSeed(opts.seed, `faults:${device.id}`))
    entries.push(entry)
  }
  const clients = [...byClient.values()]
  const heartbeatMs = opts.heartbeatIntervalMs ?? 60_000
  const beats: HeartbeatEntry[] = clients.map((client) => ({ client, rng: createRng(hashSeed(opts.seed, `heartbeat:${client.id}`)), seq: 0 }))
  if (heartbeatMs > 0) {
    beats.forEach((b, k) => queue.schedule(entries.length + k, opts.startMs + Math.floor(b.rng.float() * heartbeatMs)))
  }
  const index = new Map(entries.map((e, i) => [e.deviceId, i]))

  const heartbeat = (b: HeartbeatEntry, t: number): SimMessage => {
    const payload: Heartbeat = { seq: b.seq++, ts: t, uptimeS: Math.floor((t - opts.startMs) / 1000) }
    if (b.client.role === 'gateway') {
      payload.cpuPct = Math.round(Math.min(100, Math.max(1, b.rng.normal(12, 4))) * 10) / 10
      payload.memMb = Math.round(b.rng.normal(72, 6))
    } else {
      // Direct devices (noise meters) uplink over 4G: report the signal.
      payload.rssiDbm = Math.round(b.rng.normal(-82, 6))
    }
    return { clientId: b.client.id, deviceId: b.client.id, kind: 'heartbeat', topic: topics.gatewayHeartbeat(b.client.id), payload, atMs: t }
  }

  const out: SimMessage[] = []
  let head = 0
  const fill = (): void => {
    while (head >= out.length) {
      out.length = 0; head = 0
      const t = queue.peekTime()
      const i = queue.pop()
      if (i < 0) throw new Error('the simulation has nothing left to run')
      if (i >= entries.length) {
        const b = beats[i - entries.length]!
        out.push(heartbeat(b, t))
        queue.schedule(i, t + heartbeatMs)
        continue
      }
      const e = entries[i]!
      const r = e.model.step(e.state, t, e.rng)
      e.state = r.state
      const payloads = e.faults === undefined ? r.messages : r.messages.flatMap((m) => e.faults!.push(m).map((f) => f.msg))
      for (const payload of payloads) out.push({ clientId: e.clientId, deviceId: e.deviceId, kind: payload.kind, topic: e.topic, payload, atMs: t })
      queue.schedule(i, Math.max(r.nextMs, t + 1))
    }
  }

  const sim: DeviceSimulation = {
    community,
    clients,
    next () {
      fill()
      return out[head++]!
    },
    peekMs () {
      return head < out.length ? out[head]!.atMs : queue.peekTime()
    },
    pullUntil (simMs, max = Infinity) {
      const got: SimMessage[] = []
      while (got.length < max && sim.peekMs() <= simMs) {
        fill()
        // A step may yield nothing (a camera between events), so the buffered message can be later.
        if (out[head]!.atMs > simMs) break
        got.push(out[head++]!)
      }
      return got
    },
    inject (deviceId, injection) {
      const i = index.get(deviceId)
      if (i === undefined) throw new RangeError(`no device "${deviceId}" in the community`)
      const e = entries[i]!
      if (e.model.inject === undefined) throw new RangeError(`devices of kind "${e.model.kind}" take no injections`)
      let r: { state: unknown; wakeMs: number }
      try {
        r = e.model.inject(e.state, injection)
      } catch (err) {
        throw new RangeError(`device "${deviceId}" takes no injections of that shape: ${(err as Error).message}`, { cause: err })
      }
      e.state = r.state
      if (r.wakeMs < queue.timeOf(i)) queue.schedule(i, r.wakeMs)
    },
    * [Symbol.iterator] () {
      for (;;) yield sim.next()
    }
  }
  for (const { deviceId, injection } of plan?.injections ?? []) sim.inject(deviceId, injection)
  return sim
}
