import { CommunitySchema, type Community, type CommunityInput, type DeviceKind, type TelemetryOf } from '@gangwan/contracts'
import {
  createLocalClock, createRng, DEFAULT_MODEL_OPTIONS, deviceSeed, type DeviceModel, type DeviceOf, type DeviceSetup, type ModelOptions
} from '../../src/index.ts'

/** A model's setup for one device of a community, as the simulation builds it. */
export function setupFor<K extends DeviceKind> (input: Community | CommunityInput, deviceId: string, options: Partial<ModelOptions> = {}): DeviceSetup<K> {
  const community = CommunitySchema.parse(input)
  const device = community.devices.find((d) => d.id === deviceId)
  if (device === undefined) throw new Error(`no device ${deviceId}`)
  const building = community.buildings.find((b) => b.id === device.building)!
  return {
    device: device as DeviceOf<K>,
    community,
    building,
    clock: createLocalClock(community.timezone),
    sharedSeed: 42,
    options: { ...DEFAULT_MODEL_OPTIONS, ...options }
  }
}

/** Steps a model from `startMs` until `untilMs` (simulated) and returns every message. */
export function driveModel<K extends DeviceKind, S> (model: DeviceModel<K, S, any>, setup: DeviceSetup<K>, startMs: number, untilMs: number, seed = 1): TelemetryOf<K>[] {
  const rng = createRng(deviceSeed(seed, setup.device.id))
  let { state, nextMs } = model.init(setup, startMs, rng)
  const out: TelemetryOf<K>[] = []
  while (nextMs <= untilMs) {
    const r = model.step(state, nextMs, rng)
    if (!(r.nextMs > nextMs)) throw new Error(`step at ${nextMs} scheduled the next at ${r.nextMs}`)
    out.push(...r.messages)
    state = r.state
    nextMs = r.nextMs
  }
  return out
}

/** Local (Asia/Shanghai, UTC+8) hour of an epoch time. */
export const shanghaiHour = (ms: number): number => (((ms / 3_600_000 + 8) % 24) + 24) % 24

/** 2025-06-02 00:00 in Guiyang (UTC+8), a Monday. */
export const MONDAY_MIDNIGHT = Date.parse('2025-06-02T00:00:00+08:00')
export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** Mean of a list (NaN when empty). */
export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

/** Asserts seq starts at 0 and increases by one per message. */
export function seqsAreConsecutive (msgs: readonly { seq: number }[]): boolean {
  return msgs.every((m, i) => m.seq === i)
}
