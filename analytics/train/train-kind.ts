import type { Community, DeviceKind } from '@gangwan/contracts'
import { createRng, deviceSeed, type DeviceOf } from '@gangwan/simulators'
import { FEATURE_SETS } from '../src/models/features/feature-sets.ts'
import { contentHash } from '../src/models/load-models.ts'
import { INPUT_NAME, OUTPUT_NAME, type ModelEntry } from '../src/models/model-manifest.ts'
import { score, predict, type Metrics } from './evaluate.ts'
import { exportOnnx } from './export-onnx.ts'
import { fitClassifier } from './fit-classifier.ts'
import type { DataSize, KindConfig } from './kind-config.ts'
import { makeDataset, type Dataset } from './make-dataset.ts'

/** What training one kind needs besides its configuration. */
export interface TrainRequest {
  community: Community
  seed: number
  /** Simulated start of the training data, epoch ms; held-out data starts 28 days later. */
  startMs: number
  /** Overrides of the configured data size (tests train on a tiny one). */
  size?: Partial<DataSize>
  epochs?: number
}

/** A trained model: the ONNX bytes, its manifest entry, and what its card reports. */
export interface TrainedModel {
  onnx: Uint8Array
  entry: ModelEntry
  metrics: Metrics
  train: Dataset
  heldOut: Dataset
  devices: { train: string[], heldOut: string[] }
}

const HELD_OUT_OFFSET_MS = 28 * 86_400_000

/** The devices of a kind, split by a seeded shuffle: the first quarter is held out. */
export function splitDevices<K extends DeviceKind> (config: KindConfig<K>, community: Community, count: number, seed: number): { train: DeviceOf<K>[], heldOut: DeviceOf<K>[] } {
  const all = community.devices.filter((d): d is DeviceOf<K> => d.kind === config.kind && config.eligible(d as DeviceOf<K>))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
  const rng = createRng(deviceSeed(seed, `split:${config.kind}`))
  for (let i = all.length - 1; i > 0; i--) { const j = rng.int(0, i); [all[i], all[j]] = [all[j]!, all[i]!] }
  const chosen = all.slice(0, count)
  const held = Math.max(1, Math.ceil(chosen.length / 4))
  return { heldOut: chosen.slice(0, held), train: chosen.slice(held) }
}

/**
 * Trains one kind's model end to end: simulate and label windows on training devices, fit the
 * net, export ONNX, and score the exported file with onnxruntime on held-out devices simulated
 * four weeks later. Deterministic: the same request gives the same bytes.
 *
 * @example const { onnx, entry } = await trainKind(KIND_CONFIGS.fire, { community, seed: 1, startMs })
 */
export async function trainKind<K extends DeviceKind> (config: KindConfig<K>, req: TrainRequest): Promise<TrainedModel> {
  const size = { ...config.size, ...req.size }
  const cfg: KindConfig<K> = { ...config, size }
  const fs = FEATURE_SETS[config.kind]
  const { train: trainDevs, heldOut: heldDevs } = splitDevices(cfg, req.community, size.devices, req.seed)
  const train = makeDataset({ config: cfg, community: req.community, devices: trainDevs, seed: deviceSeed(req.seed, 'train'), startMs: req.startMs, cap: size.perClassCap })
  const heldOut = makeDataset({
    config: cfg, community: req.community, devices: heldDevs, seed: deviceSeed(req.seed, 'held-out'), startMs: req.startMs + HELD_OUT_OFFSET_MS, cap: size.heldOutCap
  })
  const C = config.classes.length
  const layers = await fitClassifier(train, C, { ...config.net, ...(req.epochs !== undefined ? { epochs: req.epochs } : {}) }, req.seed)
  const onnx = exportOnnx({
    layers,
    inputName: INPUT_NAME,
    outputName: OUTPUT_NAME,
    docString: `${config.title}; see docs/models.md`,
    metadata: { id: config.modelId, featureSet: fs.id, classes: config.classes.map((c) => c.name).join(','), window: String(fs.window), stride: String(fs.stride) }
  })
  const metrics = score(await predict(onnx, heldOut), heldOut.y, C, config.threshold)
  const entry: ModelEntry = {
    id: config.modelId,
    version: contentHash(onnx),
    kind: config.kind,
    file: `${config.kind}.onnx`,
    featureSet: fs.id,
    features: fs.features.length,
    window: fs.window,
    stride: fs.stride,
    input: { name: INPUT_NAME, type: 'float32', shape: ['N', fs.features.length] },
    output: { name: OUTPUT_NAME, type: 'float32', shape: ['N', C] },
    classes: config.classes.map(({ name, category, severity, title, description }) => ({
      name, ...(category !== undefined ? { category, severity, title } : {}), ...(description !== undefined ? { description } : {})
    })),
    threshold: config.threshold,
    clearThreshold: config.clearThreshold,
    raiseAfter: config.raiseAfter,
    metrics: { windows: metrics.windows, accuracy: metrics.accuracy, macroF1: metrics.macroF1 }
  }
  return { onnx, entry, metrics, train, heldOut, devices: { train: trainDevs.map((d) => d.id), heldOut: heldDevs.map((d) => d.id) } }
}
