import type { DeviceKind } from '@gangwan/contracts'
import * as ort from 'onnxruntime-node'
import type { Logger } from 'pino'
import type { DeviceContext } from '../core/context.ts'
import type { Signal } from '../core/signal.ts'
import type { LoadedModel } from './load-models.ts'
import { INPUT_NAME, OUTPUT_NAME } from './model-manifest.ts'
import { createSignalHysteresis } from './signal-hysteresis.ts'

/** One window waiting for the model. */
export interface QueuedWindow {
  device: DeviceContext<DeviceKind>
  features: Float32Array
  fromMs: number
  toMs: number
  /** The window holds a real event its kind's rules judge (event-checks.ts): sensor-fault classes wait. */
  event?: boolean
}

/** Counters of one model. */
export interface RunnerStats {
  windows: number
  runs: number
  errors: number
  signals: number
  queued: number
}

/** Options of {@link createModelRunner}. */
export interface RunnerOptions {
  batchSize: number
  maxDelayMs: number
  log: Logger
  onSignals: (signals: Signal[]) => void
}

/** Micro-batches one model's windows: see {@link createModelRunner}. */
export interface ModelRunner {
  enqueue: (w: QueuedWindow) => void
  drain: () => Promise<void>
  stats: () => RunnerStats
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

/**
 * Queues one model's windows and runs them in micro-batches: a batch goes to onnxruntime as one
 * `session.run` on [n, F] once `batchSize` windows wait, or `maxDelayMs` after the first one
 * queued. Batches run one after another, so each device's windows are judged in order and its
 * hysteresis sees them in order. A failed run is logged and counted; its windows are dropped.
 *
 * @example
 * const runner = createModelRunner(model, { batchSize: 64, maxDelayMs: 16, log, onSignals })
 * runner.enqueue({ device, features, fromMs, toMs }); await runner.drain()
 */
export function createModelRunner (model: LoadedModel, opts: RunnerOptions): ModelRunner {
  const { entry, session } = model
  const F = entry.features
  const C = entry.classes.length
  const hysteresis = createSignalHysteresis(entry)
  const clause = `anomaly model ${entry.id} (docs/models.md)`
  const stats: RunnerStats = { windows: 0, runs: 0, errors: 0, signals: 0, queued: 0 }
  let queue: QueuedWindow[] = []
  let chain: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined

  const signalsOf = (w: QueuedWindow, p: Float32Array): Signal[] => hysteresis.update(w.device.device.id, p, w.event).map((ch) => {
    const cls = entry.classes[ch.classIndex]!
    const ruleId = `${entry.id}.${cls.name}`
    const subject = w.device.device.id
    if (ch.change === 'clear') return { active: false, at: w.toMs, ruleId, subject }
    const values: Record<string, number | string> = { class: cls.name, probability: round4(ch.probability), windows: ch.windows }
    entry.classes.forEach((c, i) => { values[`p.${c.name}`] = round4(p[i]!) })
    return {
      active: true,
      at: w.toMs,
      ruleId,
      subject,
      device: subject,
      kind: entry.kind,
      category: cls.category!,
      severity: cls.severity!,
      title: cls.title!,
      source: { type: 'model', id: entry.id, version: entry.version, clause, score: round4(ch.probability) },
      trigger: { values, window: { fromMs: w.fromMs, toMs: w.toMs } },
      location: w.device.location
    }
  })

  const run = async (batch: QueuedWindow[]): Promise<void> => {
    const x = new Float32Array(batch.length * F)
    batch.forEach((w, i) => x.set(w.features, i * F))
    try {
      stats.runs++
      const r = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', x, [batch.length, F]) })
      const p = r[OUTPUT_NAME]!.data as Float32Array
      const signals: Signal[] = []
      for (let i = 0; i < batch.length; i++) {
        for (const s of signalsOf(batch[i]!, p.subarray(i * C, (i + 1) * C))) signals.push(s)
      }
      stats.signals += signals.length
      if (signals.length > 0) opts.onSignals(signals)
    } catch (err) {
      stats.errors++
      opts.log.error({ err, model: entry.id, windows: batch.length }, 'anomaly model run failed')
    }
  }

  const dispatch = (): void => {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined }
    while (queue.length > 0) {
      const batch = queue.slice(0, opts.batchSize)
      queue = queue.slice(opts.batchSize)
      chain = chain.then(async () => await run(batch))
    }
  }

  return {
    enqueue (w) {
      stats.windows++
      queue.push(w)
      if (queue.length >= opts.batchSize) dispatch()
      else if (timer === undefined) {
        timer = setTimeout(dispatch, opts.maxDelayMs)
        timer.unref()
      }
    },
    async drain () {
      // A signal handler may observe more telemetry: loop until nothing is left.
      do {
        dispatch()
        const settled = chain
        await settled
        if (settled === chain && queue.length === 0) return
      } while (true)
    },
    stats: () => ({ ...stats, queued: queue.length })
  }
}
