import type { DeviceKind, Telemetry } from '@gangwan/contracts'
import type { Logger } from 'pino'
import type { CommunityContext, DeviceContext } from '../core/context.ts'
import type { Signal } from '../core/signal.ts'
import { loadModels, type LoadedModel } from './load-models.ts'
import type { ModelEntry } from './model-manifest.ts'
import { createModelRunner, type ModelRunner, type RunnerStats } from './model-runner.ts'
import { EVENT_CHECKS, type EventCheck } from './event-checks.ts'
import { createSlidingWindow, type SlidingWindow } from './sliding-window.ts'

/** Options of {@link createAnomalyStage}. */
export interface AnomalyStageOptions {
  /** Folder holding manifest.json and the .onnx files it lists. */
  modelsDir: string
  ctx: CommunityContext
  log: Logger
  /** Windows per onnxruntime run (default 64). */
  batchSize?: number
  /** Longest a queued window waits for its batch to fill, wall-clock ms (default 16). */
  maxDelayMs?: number
  /** Receives the signals of each batch, in the order of the windows. */
  onSignals: (signals: Signal[]) => void
}

/** Counters across all models, and per model id. */
export interface AnomalyStats extends RunnerStats {
  models: Record<string, RunnerStats>
}

/** The running anomaly models. */
export interface AnomalyStage {
  /** The manifest entries loaded. */
  readonly models: readonly ModelEntry[]
  /** Adds a message to its device's windows; a full window is queued for its model. */
  observe: (device: DeviceContext<DeviceKind>, msg: Telemetry) => void
  /** Resolves once every queued window has run and its signals were handed over. */
  drain: () => Promise<void>
  /** Runs what is queued, then releases the onnxruntime sessions; later messages are ignored. */
  close: () => Promise<void>
  stats: () => AnomalyStats
}

interface KindModel { model: LoadedModel, runner: ModelRunner }
interface DeviceWindow extends KindModel { window: SlidingWindow<Telemetry>, prepared: unknown, events: { check: EventCheck<DeviceKind, unknown>, q: unknown } | undefined }

/**
 * Loads the anomaly models of `modelsDir` (rejecting with GW_ERR_MODEL_LOAD_FAILED or
 * GW_ERR_MODEL_CONTRACT, naming the file, if any is missing, corrupt or off-contract) and runs
 * them on every device of their kind: each message updates the device's sliding window, each full
 * window becomes a feature vector queued for its model, and queued windows of one model run in
 * micro-batches (one `session.run` per batch). Class probabilities pass a per-device hysteresis
 * and become signals: source type `model`, score the class probability, category `device_health`
 * for sensor faults and the kind's own for pre-threshold patterns. A window holding a real event
 * (an alarm, an exceedance: event-checks.ts) raises no sensor fault: the rules judge the event.
 *
 * @example
 * const stage = await createAnomalyStage({ modelsDir, ctx, log, onSignals: (s) => book.accept(s) })
 * stage.observe(ctx.device('B03-F12-S01')!, msg)
 * await stage.drain()
 */
export async function createAnomalyStage (opts: AnomalyStageOptions): Promise<AnomalyStage> {
  const log = opts.log.child({ component: 'anomaly' })
  const loaded: LoadedModel[] = await loadModels(opts.modelsDir, log)
  const batchSize = Math.max(1, opts.batchSize ?? 64)
  const maxDelayMs = Math.max(0, opts.maxDelayMs ?? 16)
  const byKind = new Map<DeviceKind, KindModel[]>()
  for (const model of loaded) {
    const runner = createModelRunner(model, { batchSize, maxDelayMs, log, onSignals: opts.onSignals })
    const list = byKind.get(model.entry.kind) ?? []
    list.push({ model, runner })
    byKind.set(model.entry.kind, list)
  }
  const all = [...byKind.values()].flat()
  /** Each device's windows, one per model of its kind that can judge it; looked up once per message. */
  const devices = new Map<string, DeviceWindow[]>()
  let closed = false

  /** The windows of a device, built on its first message: a manual call point has nothing for the fire model to judge. */
  function windowsOf (device: DeviceContext<DeviceKind>): DeviceWindow[] {
    const out: DeviceWindow[] = []
    const check = EVENT_CHECKS[device.device.kind] as EventCheck<DeviceKind, unknown> | undefined
    const events = check === undefined ? undefined : { check, q: check.prepare(device) }
    for (const m of byKind.get(device.device.kind) ?? []) {
      const prepared = m.model.featureSet.prepare(device)
      if (prepared !== null) out.push({ ...m, window: createSlidingWindow(m.model.entry.window, m.model.entry.stride), prepared, events })
    }
    devices.set(device.device.id, out)
    return out
  }

  const stage: AnomalyStage = {
    models: loaded.map((m) => m.entry),
    observe (device, msg) {
      if (closed || msg.kind !== device.device.kind) return
      const windows = devices.get(device.device.id) ?? windowsOf(device)
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i]!
        // Features are computed only when a window is due (every `stride` messages once full).
        const win = w.window.push(msg)
        if (win === null) continue
        const event = w.events?.check.holds(win as never, w.events.q) ?? false
        w.runner.enqueue({ device, features: w.model.featureSet.extract(win as never, w.prepared), fromMs: win[0]!.ts, toMs: win[win.length - 1]!.ts, event })
      }
    },
    async drain () {
      await Promise.all(all.map(async (m) => await m.runner.drain()))
    },
    async close () {
      if (closed) return
      closed = true
      await stage.drain()
      await Promise.all(loaded.map(async (m) => await m.session.release()))
    },
    stats () {
      const models: Record<string, RunnerStats> = {}
      const total: RunnerStats = { windows: 0, runs: 0, errors: 0, signals: 0, queued: 0 }
      for (const m of all) {
        const s = m.runner.stats()
        models[m.model.entry.id] = s
        for (const k of Object.keys(total) as (keyof RunnerStats)[]) total[k] += s[k]
      }
      return { ...total, models }
    }
  }
  return stage
}
