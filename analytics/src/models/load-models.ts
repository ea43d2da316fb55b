import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { formatIssues, GangwanError, type DeviceKind } from '@gangwan/contracts'
import * as ort from 'onnxruntime-node'
import type { Logger } from 'pino'
import { FEATURE_SETS } from './features/feature-sets.ts'
import type { FeatureSet } from './features/feature-set.ts'
import { INPUT_NAME, ModelManifestSchema, OUTPUT_NAME, type ModelEntry } from './model-manifest.ts'

/** A model ready to run: its manifest entry, its onnxruntime session and the feature set feeding it. */
export interface LoadedModel {
  entry: ModelEntry
  session: ort.InferenceSession
  featureSet: FeatureSet<DeviceKind, unknown>
}

/**
 * First 12 hex digits of the SHA-256 of a model file: the `version` its manifest entry must carry.
 *
 * @example contentHash(readFileSync('analytics/models/fire.onnx')) // '600bbe49d391'
 */
export function contentHash (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12)
}

const failed = (what: string, reason: string, cause?: unknown): GangwanError =>
  new GangwanError('GW_ERR_MODEL_LOAD_FAILED', `${what}: ${reason}`, cause !== undefined ? { cause } : undefined)
const contract = (what: string, reason: string): GangwanError => new GangwanError('GW_ERR_MODEL_CONTRACT', `${what}: ${reason}`)
const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!

async function readManifest (dir: string): Promise<ModelEntry[]> {
  const path = join(dir, 'manifest.json')
  let text: string
  try { text = await readFile(path, 'utf8') } catch (err) { throw failed(path, `cannot read (${reasonOf(err)})`, err) }
  let json: unknown
  try { json = JSON.parse(text) } catch (err) { throw failed(path, `is not JSON (${reasonOf(err)})`, err) }
  const r = ModelManifestSchema.safeParse(json)
  if (!r.success) throw contract(path, `does not match the manifest contract:\n  ${formatIssues(r.error).join('\n  ')}`)
  return r.data.models
}

/**
 * Checks a loaded session against its manifest entry and the documented contract: one float32
 * input `features` [N, F], an output `probabilities` [N, C], F the feature set's length, C the
 * manifest's classes. A probe run on two zero rows must give [2, C] rows summing to 1.
 */
async function check (path: string, entry: ModelEntry, fs: FeatureSet<DeviceKind, unknown>, session: ort.InferenceSession, bytes: Uint8Array): Promise<void> {
  if (entry.featureSet !== fs.id) throw contract(path, `feature set "${entry.featureSet}" is not the one this hub computes for ${entry.kind} ("${fs.id}")`)
  if (entry.features !== fs.features.length) throw contract(path, `manifest says ${entry.features} features, feature set ${fs.id} has ${fs.features.length}`)
  if (session.inputNames.length !== 1 || session.inputNames[0] !== INPUT_NAME) throw contract(path, `inputs are [${session.inputNames.join(', ')}], expected [${INPUT_NAME}]`)
  if (!session.outputNames.includes(OUTPUT_NAME)) throw contract(path, `outputs are [${session.outputNames.join(', ')}], expected one named ${OUTPUT_NAME}`)
  const meta = session.inputMetadata[0]
  if (meta?.isTensor === true) {
    const dim = meta.shape[1]
    if (meta.type !== 'float32' || meta.shape.length !== 2 || (typeof dim === 'number' && dim !== entry.features)) {
      throw contract(path, `input ${INPUT_NAME} is ${meta.type} [${meta.shape.join(', ')}], expected float32 [N, ${entry.features}]`)
    }
  }
  const C = entry.classes.length
  let out: ort.Tensor
  try {
    const r = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', new Float32Array(2 * entry.features), [2, entry.features]) })
    out = r[OUTPUT_NAME]!
  } catch (err) {
    throw contract(path, `does not run on float32 [2, ${entry.features}] (${reasonOf(err)})`)
  }
  if (out.type !== 'float32' || out.dims.length !== 2 || out.dims[0] !== 2 || out.dims[1] !== C) {
    throw contract(path, `output ${OUTPUT_NAME} is ${out.type} [${out.dims.join(', ')}] for 2 rows, expected float32 [2, ${C}] (${C} classes in the manifest)`)
  }
  const p = out.data as Float32Array
  for (let row = 0; row < 2; row++) {
    const sum = p.slice(row * C, (row + 1) * C).reduce((a, b) => a + b, 0)
    if (!(Math.abs(sum - 1) < 1e-3)) throw contract(path, `output rows must be probabilities summing to 1, got ${sum}`)
  }
  const hash = contentHash(bytes)
  if (hash !== entry.version) throw contract(path, `version ${entry.version} is not the file's content hash ${hash} (retrain, or update the manifest)`)
}

/**
 * Loads every model of `dir/manifest.json` into onnxruntime and validates it against its entry.
 * Fails fast, naming the file and the reason: GW_ERR_MODEL_LOAD_FAILED when the manifest or a
 * model cannot be read or parsed, GW_ERR_MODEL_CONTRACT when it breaks the contract.
 *
 * @example const models = await loadModels('analytics/models', log)
 */
export async function loadModels (dir: string, log: Logger): Promise<LoadedModel[]> {
  const entries = await readManifest(dir)
  const loaded: LoadedModel[] = []
  try {
    for (const entry of entries) {
      const path = join(dir, entry.file)
      let bytes: Uint8Array
      try { bytes = await readFile(path) } catch (err) { throw failed(path, `cannot read (${reasonOf(err)})`, err) }
      let session: ort.InferenceSession
      try {
        session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 })
      } catch (err) {
        throw failed(path, `onnxruntime cannot load it (${reasonOf(err)})`, err)
      }
      const featureSet = FEATURE_SETS[entry.kind] as FeatureSet<DeviceKind, unknown>
      try {
        await check(path, entry, featureSet, session, bytes)
      } catch (err) {
        await session.release()
        throw err
      }
      loaded.push({ entry, session, featureSet })
      log.info({ model: entry.id, version: entry.version, kind: entry.kind, classes: entry.classes.length }, 'anomaly model loaded')
    }
  } catch (err) {
    await Promise.all(loaded.map(async (m) => await m.session.release()))
    throw err
  }
  return loaded
}
