import { AnalyticsSettingsSchema, type Community, type DeviceKind, type TelemetryOf } from '@gangwan/contracts'
import { createDeviceSimulation, createRng, deviceSeed, type DeviceOf } from '@gangwan/simulators'
import { applyFaults, type FaultedMessage, type FaultSpecInput } from '@gangwan/simulators/faults'
import { FEATURE_SETS } from '../src/models/features/feature-sets.ts'
import type { KindConfig } from './kind-config.ts'

/** Labelled windows: row-major features [n × f] and class indices. */
export interface Dataset {
  x: Float32Array
  y: Int32Array
  n: number
  f: number
  /** Windows made per class before the per-class cap. */
  made: number[]
}

/** What one dataset is made of. */
export interface DatasetRequest<K extends DeviceKind> {
  config: KindConfig<K>
  community: Community
  devices: readonly DeviceOf<K>[]
  seed: number
  startMs: number
  cap: number
}

function progressAt (faults: readonly FaultSpecInput[], t: number): number {
  const f = faults[0]
  if (f === undefined || !('rampMs' in f)) return 1
  return Math.max(0, Math.min(1, (t - f.fromMs) / f.rampMs))
}

/**
 * Simulates the devices segment by segment with the simulators' own models, gives each
 * (device, segment) one class drawn at random (its faults start in the first 30 % of the segment),
 * slides the kind's feature window over the faulted stream and labels each window. All draws are
 * seeded, so a request always gives the same dataset.
 */
export function makeDataset<K extends DeviceKind> (req: DatasetRequest<K>): Dataset {
  const { config, community, devices, seed, startMs } = req
  const fs = FEATURE_SETS[config.kind]
  const settings = community.analytics ?? AnalyticsSettingsSchema.parse({})
  const prepared = devices.map((device) => fs.prepare({ device, community, settings }))
  const C = config.classes.length
  const rows: Float32Array[][] = Array.from({ length: C }, () => [])
  const sim = createDeviceSimulation({ ...community, devices: [...devices] }, {
    seed, startMs, heartbeatIntervalMs: 0, ...(config.modelOptions ? { models: config.modelOptions } : {})
  })
  for (const device of devices) {
    const background = config.background?.injection(device, createRng(deviceSeed(seed, `background:${device.id}`)))
    if (background !== undefined) sim.inject(device.id, { ...background, fromMs: startMs })
  }
  const { window: W, stride } = fs
  for (let s = 0; s < config.size.segments; s++) {
    const s0 = startMs + s * config.size.segmentMs
    const s1 = s0 + config.size.segmentMs
    const byDevice = new Map<string, TelemetryOf<K>[]>()
    for (const m of sim.pullUntil(s1 - 1)) {
      let list = byDevice.get(m.deviceId)
      if (list === undefined) byDevice.set(m.deviceId, list = [])
      list.push(m.payload as TelemetryOf<K>)
    }
    devices.forEach((device, d) => {
      const p = prepared[d]
      if (p === null || p === undefined) return
      const rng = createRng(deviceSeed(seed, `${config.kind}:${device.id}:${s}`))
      const cls = rng.int(0, C - 1)
      const def = config.classes[cls]!
      const fromMs = Math.round(s0 + rng.between(0, 0.3) * config.size.segmentMs)
      const faults = def.faults?.({ rng, fromMs, untilMs: s1, device }) ?? []
      const out = applyFaults(config.kind, byDevice.get(device.id) ?? [], faults, rng.int(0, 2 ** 30))
      for (let end = W - 1; end < out.length; end += stride) {
        const win = out.slice(end - W + 1, end + 1) as FaultedMessage<K>[]
        const label = config.label !== undefined ? config.label(win, cls) : labelOf(win, cls, def.visible, faults, W)
        if (label === null) continue
        rows[label]!.push(fs.extract(win.map((m) => m.msg), p))
      }
    })
  }
  return pack(rows, fs.features.length, req.cap, seed)
}

function labelOf (win: readonly { touched: readonly number[], msg: { ts: number } }[], cls: number, visible: ((t: number, w: number, p: number) => boolean) | undefined, faults: readonly FaultSpecInput[], W: number): number | null {
  const touched = win.filter((m) => m.touched.length > 0).length
  if (touched === 0) return 0
  const last = win[win.length - 1]!.msg.ts
  return (visible ?? (() => true))(touched, W, progressAt(faults, last)) ? cls : null
}

/** Caps each class at `cap` rows by a seeded shuffle and interleaves them in a seeded order. */
function pack (rows: Float32Array[][], f: number, cap: number, seed: number): Dataset {
  const rng = createRng(deviceSeed(seed, 'pack'))
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) { const j = rng.int(0, i); [xs[i], xs[j]] = [xs[j]!, xs[i]!] }
    return xs
  }
  const picked: [Float32Array, number][] = []
  rows.forEach((list, c) => { for (const r of shuffle([...list]).slice(0, cap)) picked.push([r, c]) })
  shuffle(picked)
  const x = new Float32Array(picked.length * f)
  const y = new Int32Array(picked.length)
  picked.forEach(([r, c], i) => { x.set(r, i * f); y[i] = c })
  return { x, y, n: picked.length, f, made: rows.map((r) => r.length) }
}
