import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CommunitySchema, type Community, type DeviceKind, type TelemetryOf } from '@gangwan/contracts'
import { createDeviceSimulation, generateCommunity, type DeviceOf } from '@gangwan/simulators'
import { applyFaults, type FaultSpecInput } from '@gangwan/simulators/faults'
import { pino } from 'pino'
import { createCommunityContext } from '../../src/core/create-community-context.ts'
import type { CommunityContext } from '../../src/core/context.ts'

/** The models committed with analytics. */
export const MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url))
export const log = pino({ level: 'silent' })
/** 2025-06-02 08:00 in Guiyang (UTC+8), a Monday morning. */
export const T0 = Date.parse('2025-06-02T08:00:00+08:00')
export const MIN = 60_000

/** A small generated community with its analytics context. */
export function smallCommunity (): { community: Community, ctx: CommunityContext } {
  const community = CommunitySchema.parse(generateCommunity({ seed: 3, buildings: 4, devices: 400 }))
  return { community, ctx: createCommunityContext(community, log) }
}

/** The first device of a kind matching `pick`. */
export function deviceOf<K extends DeviceKind> (community: Community, kind: K, pick: (d: DeviceOf<K>) => boolean = () => true): DeviceOf<K> {
  const d = community.devices.find((x): x is DeviceOf<K> => x.kind === kind && pick(x as DeviceOf<K>))
  if (d === undefined) throw new Error(`no ${kind} device`)
  return d
}

/** One device's clean telemetry from the simulators' model, `fromMs` to `untilMs`, then the faults. */
export function stream<K extends DeviceKind> (community: Community, device: DeviceOf<K>, fromMs: number, untilMs: number, faults: FaultSpecInput[] = [], seed = 1): TelemetryOf<K>[] {
  const sim = createDeviceSimulation({ ...community, devices: [device] }, { seed, startMs: fromMs, heartbeatIntervalMs: 0 })
  const clean = sim.pullUntil(untilMs).map((m) => m.payload as TelemetryOf<K>)
  return applyFaults(device.kind as K, clean, faults, seed).map((m) => m.msg)
}

/** A scratch copy of the committed models folder, removed by the returned function. */
export async function modelsCopy (): Promise<{ dir: string, remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gangwan-models-'))
  await cp(MODELS_DIR, dir, { recursive: true })
  return { dir, remove: async () => await rm(dir, { recursive: true, force: true }) }
}
