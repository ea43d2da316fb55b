import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import { createRng, deviceSeed } from '@gangwan/simulators'
import type { DenseLayer } from './export-onnx.ts'
import type { Dataset } from './make-dataset.ts'
import type { NetConfig } from './kind-config.ts'

let ready: Promise<void> | undefined

/**
 * The pure-JavaScript CPU backend only: single-threaded, so the same data and seed give the same
 * floating-point results, run after run. Production mode keeps tfjs quiet (it would tell Node
 * users about tfjs-node on the console).
 */
async function cpu (): Promise<void> {
  ready ??= (async () => {
    tf.enableProdMode()
    await tf.setBackend('cpu')
    await tf.ready()
  })()
  await ready
}

/** Per-feature mean and standard deviation of a dataset (sd 1 for a constant feature). */
export function standardisation (ds: Dataset): { mean: Float64Array, sd: Float64Array } {
  const mean = new Float64Array(ds.f)
  const sd = new Float64Array(ds.f)
  for (let i = 0; i < ds.n; i++) for (let j = 0; j < ds.f; j++) mean[j]! += ds.x[i * ds.f + j]! / ds.n
  for (let i = 0; i < ds.n; i++) for (let j = 0; j < ds.f; j++) sd[j]! += (ds.x[i * ds.f + j]! - mean[j]!) ** 2 / ds.n
  for (let j = 0; j < ds.f; j++) sd[j] = sd[j]! > 1e-12 ? Math.sqrt(sd[j]!) : 1
  return { mean, sd }
}

/**
 * Trains a dense net F → hidden (ReLU) → C (softmax) with Adam on cross-entropy, each epoch over a
 * seeded permutation of the rows. Features are standardised for training, and the standardisation
 * is then folded into the first layer (W' = W ÷ sd, b' = b − Σ mean ÷ sd · W), so the exported
 * model takes the feature set's output as it is.
 *
 * @example const layers = await fitClassifier(train, 6, { hidden: 32, epochs: 30, batchSize: 64, learningRate: 0.005 }, 1)
 */
export async function fitClassifier (ds: Dataset, classes: number, net: NetConfig, seed: number): Promise<DenseLayer[]> {
  await cpu()
  const { mean, sd } = standardisation(ds)
  const xz = new Float32Array(ds.x.length)
  for (let i = 0; i < ds.n; i++) for (let j = 0; j < ds.f; j++) xz[i * ds.f + j] = (ds.x[i * ds.f + j]! - mean[j]!) / sd[j]!
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [ds.f], units: net.hidden, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed }), biasInitializer: 'zeros' }),
      tfl.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }), biasInitializer: 'zeros' })
    ]
  })
  model.compile({ optimizer: tf.train.adam(net.learningRate), loss: 'categoricalCrossentropy' })
  const x = tf.tensor2d(xz, [ds.n, ds.f])
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(ds.y, 'int32'), classes), 'float32'))
  const rng = createRng(deviceSeed(seed, 'epochs'))
  const order = Array.from({ length: ds.n }, (_, i) => i)
  for (let e = 0; e < net.epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) { const j = rng.int(0, i); [order[i], order[j]] = [order[j]!, order[i]!] }
    const idx = tf.tensor1d(order, 'int32')
    const xe = tf.gather(x, idx)
    const ye = tf.gather(y, idx)
    await model.fit(xe, ye, { epochs: 1, batchSize: net.batchSize, shuffle: false, verbose: 0 })
    tf.dispose([idx, xe, ye])
  }
  const dense = model.layers.map((l) => l.getWeights().map((w) => w.dataSync() as Float32Array))
  tf.dispose([x, y])
  model.dispose()
  return dense.map(([w, b], i) => {
    const inputs = i === 0 ? ds.f : net.hidden
    const units = i === 0 ? net.hidden : classes
    if (i > 0) return { inputs, units, weights: Float32Array.from(w!), bias: Float32Array.from(b!) }
    const weights = new Float32Array(inputs * units)
    const bias = new Float64Array(b!)
    for (let r = 0; r < inputs; r++) {
      for (let c = 0; c < units; c++) {
        const v = w![r * units + c]!
        weights[r * units + c] = v / sd[r]!
        bias[c]! -= (mean[r]! / sd[r]!) * v
      }
    }
    return { inputs, units, weights, bias: Float32Array.from(bias) }
  })
}
