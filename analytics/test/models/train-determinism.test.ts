import { describe, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import { CommunitySchema } from '@gangwan/contracts'
import { generateCommunity } from '@gangwan/simulators'
import { FEATURE_SETS } from '../../src/models/features/feature-sets.ts'
import { contentHash } from '../../src/models/load-models.ts'
import { KIND_CONFIGS } from '../../train/kind-configs.ts'
import { modelCard } from '../../train/model-card.ts'
import { trainKind, type TrainRequest } from '../../train/train-kind.ts'
import { T0 } from './support.ts'

const community = CommunitySchema.parse(generateCommunity({ seed: 5, buildings: 4, devices: 400 }))
// A tiny run: 8 detectors, 2 segments of 4 h, 2 epochs. Enough to exercise every step.
const tiny = (seed: number): TrainRequest => ({ community, seed, startMs: T0, size: { devices: 8, segments: 2, perClassCap: 150, heldOutCap: 50 }, epochs: 2 })
const ctx = { seed: 1, community: { seed: 5, buildings: 4, devices: 400 }, startMs: T0 }

describe('training', () => {
  it('gives byte-identical ONNX, metrics and card for the same seed, and other bytes for another', async () => {
    const a = await trainKind(KIND_CONFIGS.fire, tiny(1))
    const b = await trainKind(KIND_CONFIGS.fire, tiny(1))
    expect(a.train.n).toBeGreaterThan(100)
    expect(Buffer.from(a.onnx).equals(Buffer.from(b.onnx))).toBe(true)
    expect(b.metrics).toEqual(a.metrics)
    expect(modelCard(KIND_CONFIGS.fire, b, ctx)).toBe(modelCard(KIND_CONFIGS.fire, a, ctx))
    expect(a.entry.version).toBe(contentHash(a.onnx))
    const c = await trainKind(KIND_CONFIGS.fire, tiny(2))
    expect(c.entry.version).not.toBe(a.entry.version)
  })

  it('exports the documented contract: features float32 [N, F] in, probabilities float32 [N, C] out', async () => {
    const m = await trainKind(KIND_CONFIGS.fire, tiny(3))
    const F = FEATURE_SETS.fire.features.length
    const session = await ort.InferenceSession.create(m.onnx)
    try {
      expect(session.inputMetadata).toEqual([{ name: 'features', isTensor: true, type: 'float32', shape: ['N', F] }])
      expect(session.outputMetadata).toEqual([{ name: 'probabilities', isTensor: true, type: 'float32', shape: ['N', 6] }])
      const x = m.heldOut.x.slice(0, 3 * F)
      const r = await session.run({ features: new ort.Tensor('float32', x, [3, F]) })
      expect(r.probabilities!.dims).toEqual([3, 6])
      const p = r.probabilities!.data as Float32Array
      for (let i = 0; i < 3; i++) expect(p.slice(i * 6, i * 6 + 6).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5)
    } finally {
      await session.release()
    }
  })
})
