import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Alert, Community, DeviceKind } from '@gangwan/contracts'
import type { Logger } from 'pino'
import type { CommunityContext } from '../src/core/context.ts'
import type { DeviceAnalyzer, Correlator } from '../src/core/kind-analytics.ts'
import type * as Analytics from '../src/index.ts'
import type * as Health from '../src/health/create-health-monitor.ts'
import type * as Context from '../src/core/create-community-context.ts'
import type { BenchStage } from './measure-stage.ts'

/** The stages of analytics the bench times, each on its own over the same observations. */
export type StageName = 'health' | 'rules' | 'anomaly' | 'pipeline'

/** What the stages are built from. */
export interface StageDeps {
  community: Community
  log: Logger
  /** Folder of the analytics sources to load: this checkout's `src`, or another one to compare. */
  srcDir: string
  /** Folder of manifest.json and the .onnx models; absent: no anomaly stage. */
  modelsDir: string | undefined
}

const load = async <T>(srcDir: string, file: string): Promise<T> => await import(pathToFileURL(join(srcDir, file)).href) as T

/**
 * Builds one stage: `health` (the device-health monitor), `rules` (every kind's per-device
 * analyzers and correlators), `anomaly` (windows, features and micro-batched onnxruntime runs) or
 * `pipeline` (all of it through createAnalytics, with the alert book and an in-memory queue).
 *
 * @example const stage = await benchStage('rules', { community, log, srcDir, modelsDir })
 */
export async function benchStage (name: StageName, deps: StageDeps): Promise<BenchStage> {
  const a = await load<typeof Analytics>(deps.srcDir, 'index.ts')
  const { createCommunityContext } = await load<typeof Context>(deps.srcDir, 'core/create-community-context.ts')
  const ctx: CommunityContext = createCommunityContext(deps.community, deps.log)
  let produced = 0
  const count = (xs: readonly unknown[]): void => { produced += xs.length }
  const idle = async (): Promise<void> => {}
  switch (name) {
    case 'health': {
      const { createHealthMonitor } = await load<typeof Health>(deps.srcDir, 'health/create-health-monitor.ts')
      const health = createHealthMonitor(ctx)
      return { feed: (obs) => { count(health.observe(obs)) }, settle: idle, close: idle, produced: () => produced }
    }
    case 'rules': {
      const kinds = new Map(a.KIND_ANALYTICS.map((k) => [k.kind, k]))
      const correlators = new Map<DeviceKind, Correlator>()
      for (const k of a.KIND_ANALYTICS) if (k.correlator) correlators.set(k.kind, k.correlator(ctx))
      const analyzers = new Map<string, DeviceAnalyzer<DeviceKind>>()
      return {
        feed (obs) {
          if (obs.type !== 'telemetry') return
          let an = analyzers.get(obs.device)
          if (an === undefined) {
            const dc = ctx.device(obs.device)!
            an = kinds.get(dc.device.kind)!.forDevice(dc as never) as DeviceAnalyzer<DeviceKind>
            analyzers.set(obs.device, an)
          }
          const signals = an.observe(obs.msg as never)
          count(signals)
          const c = correlators.get(obs.msg.kind)
          if (c !== undefined) count(c.accept(signals))
        },
        settle: idle,
        close: idle,
        produced: () => produced
      }
    }
    case 'anomaly': {
      if (deps.modelsDir === undefined) throw new Error('the anomaly stage needs --models')
      const stage = await a.createAnomalyStage({ modelsDir: deps.modelsDir, ctx, log: deps.log, onSignals: count })
      return {
        feed (obs) { if (obs.type === 'telemetry') stage.observe(ctx.device(obs.device)!, obs.msg) },
        settle: async () => { await stage.drain() },
        close: async () => { await stage.close() },
        produced: () => produced
      }
    }
    case 'pipeline': {
      const sink = { put: async (alerts: readonly Alert[]) => { count(alerts) }, open: async () => [] }
      const modelsDir = deps.modelsDir
      const analytics = a.createAnalytics({}, {
        community: deps.community,
        log: deps.log,
        sink,
        ...(modelsDir !== undefined ? { anomaly: async (c, onSignals) => await a.createAnomalyStage({ modelsDir, ctx: c, log: deps.log, onSignals }) } : {})
      })
      await analytics.start()
      return {
        feed: (obs) => { analytics.observe(obs) },
        settle: async () => { await analytics.flush() },
        close: async () => { await analytics.stop() },
        produced: () => produced
      }
    }
  }
}
