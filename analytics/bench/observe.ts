// node_modules/.bin/node analytics/bench/observe.ts [--mode fire|demo] [--interval-ms 2000] [--messages 150000]
//   [--warmup 0.2] [--stages health,rules,anomaly,pipeline] [--no-models] [--src <analytics src dir>]
//
// CPU per observation of the analytics core, fed in memory the messages the simulators generate
// (no MQTT, no ingest, no InfluxDB): each stage on its own over the same observations, then the
// whole pipeline. `--src` loads another copy of analytics/src (e.g. the code before a change) so two
// versions can be compared on one machine, alternating runs. Prints one JSON line.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { benchStream, type BenchMode } from './bench-stream.ts'
import { benchStage, type StageName } from './bench-stages.ts'
import { measureStage, type StageCost } from './measure-stage.ts'

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'fire' },
    'interval-ms': { type: 'string', default: '2000' },
    messages: { type: 'string', default: '150000' },
    warmup: { type: 'string', default: '0.2' },
    stages: { type: 'string', default: 'health,rules,anomaly,pipeline' },
    'no-models': { type: 'boolean', default: false },
    src: { type: 'string' }
  }
})
const mode = values.mode as BenchMode
if (mode !== 'fire' && mode !== 'demo') throw new Error(`--mode is fire or demo, not ${values.mode}`)
const intervalMs = Number(values['interval-ms'])
const messages = Number(values.messages)
const srcDir = values.src ?? fileURLToPath(new URL('../src/', import.meta.url))
const modelsDir = values['no-models'] ? undefined : fileURLToPath(new URL('../models/', import.meta.url))
const stages = values.stages.split(',').filter((s) => s !== 'anomaly' || modelsDir !== undefined) as StageName[]
const log = pino({ level: 'silent' })

const t0 = Date.now()
const { community, observations } = benchStream({ mode, messages, intervalMs })
const warmup = Math.floor(observations.length * Number(values.warmup))
process.stderr.write(`[bench:observe] ${observations.length} observations of ${community.devices.length} devices generated in ${Date.now() - t0} ms\n`)

const costs: Partial<Record<StageName, StageCost>> = {}
for (const name of stages) {
  const stage = await benchStage(name, { community, log, srcDir, modelsDir })
  costs[name] = await measureStage(stage, observations, warmup)
  process.stderr.write(`[bench:observe] ${name}: ${JSON.stringify(costs[name])}\n`)
}

const telemetry = observations.filter((o) => o.type === 'telemetry').length
process.stdout.write(JSON.stringify({
  benchmark: 'analytics-observe',
  mode,
  ...(mode === 'fire' ? { intervalMs } : {}),
  devices: community.devices.length,
  messages: observations.length - warmup,
  telemetryShare: Math.round((telemetry / observations.length) * 1000) / 1000,
  models: modelsDir !== undefined,
  src: srcDir,
  mainUsPerMsg: costs.pipeline?.mainUs,
  processUsPerMsg: costs.pipeline?.processUs,
  stages: Object.fromEntries(Object.entries(costs).map(([k, c]) => [k, { mainUs: c.mainUs, processUs: c.processUs, gcMsPer1k: c.gcMsPer1k, produced: c.produced }]))
}) + '\n')
