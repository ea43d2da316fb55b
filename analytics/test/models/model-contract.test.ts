import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ErrorCode } from '@gangwan/contracts'
import { createAnomalyStage } from '../../src/models/create-anomaly-stage.ts'
import { contentHash } from '../../src/models/load-models.ts'
import type { ModelManifest } from '../../src/models/model-manifest.ts'
import { exportOnnx } from '../../train/export-onnx.ts'
import { log, modelsCopy, smallCommunity } from './support.ts'

const { ctx } = smallCommunity()

/** A dense model F → C with zero weights (uniform probabilities), named as asked. */
function model (f: number, c: number, names: { inputName?: string, outputName?: string } = {}): Uint8Array {
  return exportOnnx({ layers: [{ inputs: f, units: c, weights: new Float32Array(f * c), bias: new Float32Array(c) }], ...names })
}

type Breakage = (dir: string, manifest: ModelManifest) => Promise<void>
const fire = (m: ModelManifest): ModelManifest['models'][number] => m.models.find((x) => x.kind === 'fire')!
const saveManifest = async (dir: string, m: ModelManifest): Promise<void> => await writeFile(join(dir, 'manifest.json'), JSON.stringify(m))
async function swapFire (dir: string, m: ModelManifest, bytes: Uint8Array): Promise<void> {
  await writeFile(join(dir, 'fire.onnx'), bytes)
  fire(m).version = contentHash(bytes)
  await saveManifest(dir, m)
}

// Each row breaks a scratch copy of the committed models one way; start-up must refuse it with
// the right code and a message naming the file and the reason.
const CASES: [string, ErrorCode, RegExp, Breakage][] = [
  ['manifest missing', 'GW_ERR_MODEL_LOAD_FAILED', /manifest\.json: cannot read/, async (dir) => await rm(join(dir, 'manifest.json'))],
  ['manifest not JSON', 'GW_ERR_MODEL_LOAD_FAILED', /manifest\.json: is not JSON/, async (dir) => await writeFile(join(dir, 'manifest.json'), '{ models: ')],
  ['manifest off its schema', 'GW_ERR_MODEL_CONTRACT', /manifest\.json: does not match.*threshold/s, async (dir, m) => { fire(m).threshold = 2; await saveManifest(dir, m) }],
  ['model file missing', 'GW_ERR_MODEL_LOAD_FAILED', /fire\.onnx: cannot read/, async (dir) => await rm(join(dir, 'fire.onnx'))],
  ['model file corrupt', 'GW_ERR_MODEL_LOAD_FAILED', /fire\.onnx: onnxruntime cannot load it/, async (dir) => await writeFile(join(dir, 'fire.onnx'), Buffer.from('not a protobuf at all'))],
  ['model file truncated', 'GW_ERR_MODEL_LOAD_FAILED', /fire\.onnx: onnxruntime cannot load it/, async (dir) => {
    const bytes = await readFile(join(dir, 'fire.onnx'))
    await writeFile(join(dir, 'fire.onnx'), bytes.subarray(0, bytes.length >> 1))
  }],
  ['file changed since the manifest', 'GW_ERR_MODEL_CONTRACT', /fire\.onnx: version \w+ is not the file's content hash/, async (dir, m) => {
    await writeFile(join(dir, 'fire.onnx'), model(fire(m).features, fire(m).classes.length))
  }],
  ['manifest lists fewer classes than the model outputs', 'GW_ERR_MODEL_CONTRACT', /fire\.onnx: output probabilities is float32 \[2, 6\].*expected float32 \[2, 5\]/, async (dir, m) => {
    fire(m).classes.pop(); fire(m).output.shape[1] = fire(m).classes.length; await saveManifest(dir, m)
  }],
  ['input tensor misnamed', 'GW_ERR_MODEL_CONTRACT', /fire\.onnx: inputs are \[x\], expected \[features\]/, async (dir, m) => {
    await swapFire(dir, m, model(fire(m).features, 6, { inputName: 'x' }))
  }],
  ['output tensor misnamed', 'GW_ERR_MODEL_CONTRACT', /fire\.onnx: outputs are \[scores\]/, async (dir, m) => {
    await swapFire(dir, m, model(fire(m).features, 6, { outputName: 'scores' }))
  }],
  ['model takes another feature count', 'GW_ERR_MODEL_CONTRACT', /fire\.onnx: input features is float32 \[N, 20\], expected float32 \[N, 21\]/, async (dir, m) => {
    await swapFire(dir, m, model(20, 6))
  }],
  ['manifest names another feature set', 'GW_ERR_MODEL_CONTRACT', /fire\.onnx: feature set "fire\/v9"/, async (dir, m) => { fire(m).featureSet = 'fire/v9'; await saveManifest(dir, m) }],
  ['manifest feature count off the feature set', 'GW_ERR_MODEL_CONTRACT', /fire\.onnx: manifest says 20 features/, async (dir, m) => {
    fire(m).features = 20; fire(m).input.shape[1] = 20; await saveManifest(dir, m)
  }]
]

describe('model loading refuses what breaks the contract', () => {
  it.each(CASES)('%s → %s', async (_name, code, message, breakIt) => {
    const { dir, remove } = await modelsCopy()
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest
      await breakIt(dir, manifest)
      const err = await createAnomalyStage({ modelsDir: dir, ctx, log, onSignals: () => {} }).then(() => null, (e: unknown) => e)
      expect(err).toMatchObject({ name: 'GangwanError', code })
      expect((err as Error).message).toMatch(message)
    } finally {
      await remove()
    }
  })

  it('accepts an unchanged copy (the table above breaks only what each row says)', async () => {
    const { dir, remove } = await modelsCopy()
    try {
      const stage = await createAnomalyStage({ modelsDir: dir, ctx, log, onSignals: () => {} })
      expect(stage.models).toHaveLength(5)
      await stage.close()
    } finally {
      await remove()
    }
  })
})
