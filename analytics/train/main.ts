/**
 * `npm run train`: retrains every anomaly model from simulator data and writes
 * analytics/models/<kind>.onnx, <kind>.card.md and manifest.json. Deterministic: the same seed
 * writes the same bytes. Options: --seed N (default 1), --kinds fire,noise (default all),
 * --out DIR (default analytics/models).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { CommunitySchema, DEVICE_KINDS, DeviceKindSchema, type DeviceKind } from '@gangwan/contracts'
import { generateCommunity } from '@gangwan/simulators'
import { pino } from 'pino'
import { ModelManifestSchema, type ModelEntry } from '../src/models/model-manifest.ts'
import { KIND_CONFIGS } from './kind-configs.ts'
import { modelCard, type CardContext } from './model-card.ts'
import { TRAIN_COMMUNITY, TRAIN_SEED, TRAIN_START_MS } from './train-defaults.ts'
import { trainKind } from './train-kind.ts'

const COMMUNITY = TRAIN_COMMUNITY
const START_MS = TRAIN_START_MS

const log = pino({ name: 'train' })
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(TRAIN_SEED) },
    kinds: { type: 'string', default: DEVICE_KINDS.join(',') },
    out: { type: 'string', default: fileURLToPath(new URL('../models', import.meta.url)) }
  }
})
const seed = Number(values.seed)
if (!Number.isInteger(seed)) throw new RangeError(`--seed must be an integer, got "${values.seed}"`)
const kinds = values.kinds.split(',').map((k) => DeviceKindSchema.parse(k.trim()))
const out = resolve(values.out)
mkdirSync(out, { recursive: true })

const community = CommunitySchema.parse(generateCommunity({ ...COMMUNITY }))
const ctx: CardContext = { seed, community: COMMUNITY, startMs: START_MS }
const manifestPath = join(out, 'manifest.json')
const entries = new Map<DeviceKind, ModelEntry>()
if (existsSync(manifestPath)) {
  // Retraining some kinds keeps the others' entries.
  for (const m of ModelManifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8'))).models) entries.set(m.kind, m)
}

const started = performance.now()
for (const kind of kinds) {
  const t0 = performance.now()
  const config = KIND_CONFIGS[kind]
  const model = await trainKind(config as typeof KIND_CONFIGS['fire'], { community, seed, startMs: START_MS })
  writeFileSync(join(out, model.entry.file), model.onnx)
  writeFileSync(join(out, `${kind}.card.md`), modelCard(config as typeof KIND_CONFIGS['fire'], model, ctx))
  entries.set(kind, model.entry)
  log.info({
    kind, version: model.entry.version, trainWindows: model.train.n, heldOutWindows: model.heldOut.n,
    accuracy: model.metrics.accuracy, macroF1: model.metrics.macroF1, seconds: Math.round(performance.now() - t0) / 1000
  }, 'model trained')
}
const manifest = { manifestVersion: 1, models: DEVICE_KINDS.flatMap((k) => entries.get(k) ?? []) }
writeFileSync(manifestPath, `${JSON.stringify(ModelManifestSchema.parse(manifest), null, 2)}\n`)
log.info({ out, kinds, seconds: Math.round(performance.now() - started) / 1000 }, 'models written')
