import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CommunitySchema, DEVICE_KINDS } from '@gangwan/contracts'
import { deviceSeed, generateCommunity } from '@gangwan/simulators'
import { ModelManifestSchema } from '../../src/models/model-manifest.ts'
import { contentHash } from '../../src/models/load-models.ts'
import { predict, score } from '../../train/evaluate.ts'
import { KIND_CONFIGS } from '../../train/kind-configs.ts'
import { makeDataset } from '../../train/make-dataset.ts'
import { splitDevices } from '../../train/train-kind.ts'
import { TRAIN_COMMUNITY, TRAIN_SEED, TRAIN_START_MS } from '../../train/train-defaults.ts'
import { MODELS_DIR } from './support.ts'

const manifest = ModelManifestSchema.parse(JSON.parse(await readFile(join(MODELS_DIR, 'manifest.json'), 'utf8')))
const community = CommunitySchema.parse(generateCommunity({ ...TRAIN_COMMUNITY }))

// The training run's held-out devices, simulated again on a smaller schedule (fewer segments,
// fewer windows a class) with a seed of its own: new windows the model never saw.
const SMALL = { segments: 6, heldOutCap: 80 }

describe('committed models on fresh held-out windows', () => {
  it.each(DEVICE_KINDS)('%s: beats chance on every class and matches its card within tolerance', async (kind) => {
    const entry = manifest.models.find((m) => m.kind === kind)!
    const config = KIND_CONFIGS[kind] as typeof KIND_CONFIGS['fire']
    const bytes = await readFile(join(MODELS_DIR, entry.file))
    expect(contentHash(bytes)).toBe(entry.version)
    const card = await readFile(join(MODELS_DIR, `${kind}.card.md`), 'utf8')
    expect(card).toContain(`version \`${entry.version}\``)
    expect(card).toContain(`Accuracy ${(100 * entry.metrics!.accuracy).toFixed(1)} %`)

    const { heldOut } = splitDevices(config, community, config.size.devices, TRAIN_SEED)
    const ds = makeDataset({
      config: { ...config, size: { ...config.size, ...SMALL } }, community, devices: heldOut,
      seed: deviceSeed(TRAIN_SEED, 'test-held-out'), startMs: TRAIN_START_MS + 56 * 86_400_000, cap: SMALL.heldOutCap
    })
    const m = score(await predict(bytes, ds), ds.y, entry.classes.length, entry.threshold)
    const chance = 1 / entry.classes.length
    expect(m.accuracy).toBeGreaterThan(chance + 0.3)
    // The card's held-out accuracy, within 0.1: a smaller sample of the same population.
    expect(Math.abs(m.accuracy - entry.metrics!.accuracy)).toBeLessThan(0.1)
    for (const [c, pc] of m.perClass.entries()) {
      if (pc.support >= 20) expect(pc.recall, `${kind} ${entry.classes[c]!.name}`).toBeGreaterThan(chance)
    }
  })
})
