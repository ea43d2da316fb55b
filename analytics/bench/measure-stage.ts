import { performance, PerformanceObserver } from 'node:perf_hooks'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Observation } from '../src/core/observation.ts'

/** A part of analytics fed observations one at a time, as the hub feeds it. */
export interface BenchStage {
  feed: (obs: Observation) => void
  /** Waits for work the stage does asynchronously (model batches, the alert writer). */
  settle: () => Promise<void>
  close: () => Promise<void>
  /** Signals (or alert versions) it produced, so the work cannot be optimised away unnoticed. */
  produced: () => number
}

/** What one stage cost over the timed observations. */
export interface StageCost {
  messages: number
  /** CPU of the main thread per observation, µs: what competes with aedes and ingest in the hub. */
  mainUs: number
  /** CPU of the whole process per observation, µs (adds onnxruntime's and the GC's helper threads). */
  processUs: number
  /** Garbage-collection pauses during the timed part, ms in all and per 1000 observations. */
  gcMs: number
  gcMsPer1k: number
  wallMs: number
  produced: number
}

const gcPauses: { start: number, duration: number }[] = []
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration })
}).observe({ entryTypes: ['gc'] })

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits

/**
 * Feeds `observations` to a stage in chunks of `chunk`, settling after each (so a model's batches
 * run as they would between network reads), and times all but the first `warmup` observations:
 * those build the stage's windows and let V8 optimise, as a long-running hub has.
 *
 * @example const cost = await measureStage(stage, observations, 20_000)
 */
export async function measureStage (stage: BenchStage, observations: readonly Observation[], warmup: number, chunk = 1000): Promise<StageCost> {
  const feed = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i += chunk) {
      const end = Math.min(to, i + chunk)
      for (let j = i; j < end; j++) stage.feed(observations[j]!)
      await stage.settle()
    }
  }
  await feed(0, warmup)
  const before = stage.produced()
  await nextTurn()
  const t0 = performance.now()
  const main0 = process.threadCpuUsage()
  const proc0 = process.cpuUsage()
  await feed(warmup, observations.length)
  const main = process.threadCpuUsage(main0)
  const proc = process.cpuUsage(proc0)
  const t1 = performance.now()
  await stage.close()
  // GC entries are delivered asynchronously.
  await nextTurn()
  await nextTurn()
  const gcMs = gcPauses.filter((g) => g.start >= t0 && g.start < t1).reduce((a, g) => a + g.duration, 0)
  const n = observations.length - warmup
  return {
    messages: n,
    mainUs: round((main.user + main.system) / n, 3),
    processUs: round((proc.user + proc.system) / n, 3),
    gcMs: round(gcMs, 1),
    gcMsPer1k: round((gcMs * 1000) / n, 3),
    wallMs: round(t1 - t0, 1),
    produced: stage.produced() - before
  }
}
