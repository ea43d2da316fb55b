import { FEATURE_SETS } from '../src/models/features/feature-sets.ts'
import type { DeviceKind } from '@gangwan/contracts'
import type { KindConfig } from './kind-config.ts'
import type { TrainedModel } from './train-kind.ts'

/** How the run was made, printed on every card so it can be reproduced. */
export interface CardContext {
  seed: number
  community: { seed: number, buildings: number, devices: number }
  startMs: number
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`
// A cell must not end early at a `|` of its own text ("max |Δx|").
const row = (cells: readonly (string | number)[]): string => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`

/**
 * The model card of one trained model (markdown): inputs with the feature list, outputs with the
 * class list, training data and its size, seed, and held-out metrics with the confusion matrix.
 * It holds no timestamp, so a rerun with the same seed writes the same card.
 */
export function modelCard<K extends DeviceKind> (config: KindConfig<K>, model: TrainedModel, ctx: CardContext): string {
  const { entry, metrics } = model
  const fs = FEATURE_SETS[config.kind]
  const names = entry.classes.map((c) => c.name)
  const h = (ms: number): string => `${ms / 3_600_000} h`
  const lines = [
    `# ${config.title} (\`${entry.id}\`)`,
    '',
    `File \`${entry.file}\`, version \`${entry.version}\` (SHA-256 of the file, first 12 hex digits). Contract and retraining: docs/models.md.`,
    '',
    '## Model',
    '',
    `A dense network ${entry.features} → ${config.net.hidden} (ReLU) → ${names.length} (softmax), ONNX opset 13 (MatMul, Add, Relu, Softmax). ` +
    'Feature standardisation (training mean and sd) is folded into the first layer.',
    '',
    '## Input',
    '',
    `\`${entry.input.name}\`: float32 [N, ${entry.features}], feature set \`${fs.id}\` (analytics/src/models/features/${config.kind.replace('_', '-')}.ts): ` +
    `the last ${entry.window} message(s) of one device, a window every ${entry.stride} message(s).`,
    '',
    row(['#', 'feature', 'meaning']), row(['---', '---', '---']),
    ...fs.features.map((f, i) => row([i, `\`${f.name}\``, f.description])),
    '',
    '## Output',
    '',
    `\`${entry.output.name}\`: float32 [N, ${names.length}], one probability per class (rows sum to 1). ` +
    `A class raises a signal once its probability is ≥ ${entry.threshold} in ${entry.raiseAfter} consecutive window(s) of a device, and clears below ${entry.clearThreshold}.`,
    '',
    row(['#', 'class', 'signal', 'meaning']), row(['---', '---', '---', '---']),
    ...entry.classes.map((c, i) => row([i, `\`${c.name}\``, c.category !== undefined ? `${c.category} ${c.severity}: ${c.title}` : 'none', c.description ?? ''])),
    '',
    '## Training data',
    '',
    `Simulated with the simulators' device models (simulators/src/kinds) on a generated community (seed ${ctx.community.seed}, ` +
    `${ctx.community.buildings} buildings, ${ctx.community.devices} devices), faults from simulators/src/faults. ` +
    `Each device's stream is cut into ${config.size.segments} segments of ${h(config.size.segmentMs)}; each segment draws one class at random ` +
    '(a fault or pattern starting in its first 30 %, with random parameters: analytics/train/kind-configs.ts). ' +
    'Windows a fault never touched are `' + names[0] + '`; windows it touched too little to show are left out.',
    '',
    `- Seed ${ctx.seed}; training data from ${new Date(ctx.startMs).toISOString()}, held-out data 28 days later.`,
    ...(config.background !== undefined ? [`- Ordinary conditions besides the model's own: ${config.background.description}.`] : []),
    `- Training devices (${model.devices.train.length}): ${model.devices.train.join(', ')}.`,
    `- Held-out devices (${model.devices.heldOut.length}, never seen in training): ${model.devices.heldOut.join(', ')}.`,
    `- Windows made per class, training: ${model.train.made.map((n, i) => `${names[i]} ${n}`).join(', ')}; kept (at most ${config.size.perClassCap} a class): ${model.train.n}.`,
    `- Windows made per class, held-out: ${model.heldOut.made.map((n, i) => `${names[i]} ${n}`).join(', ')}; kept (at most ${config.size.heldOutCap} a class): ${model.heldOut.n}.`,
    `- ${config.net.epochs} epochs of Adam (learning rate ${config.net.learningRate}, batch ${config.net.batchSize}) on cross-entropy, tfjs CPU backend.`,
    '',
    '## Metrics on held-out data',
    '',
    `Computed by running the exported file with onnxruntime. Accuracy ${pct(metrics.accuracy)}, macro F1 ${metrics.macroF1.toFixed(4)} over ${metrics.windows} windows; ` +
    `at the decision threshold ${entry.threshold}, ${pct(metrics.falseAlarmRate)} of \`${names[0]}\` windows have some other class over it (before hysteresis).`,
    '',
    row(['class', 'precision', 'recall', 'F1', `p ≥ ${entry.threshold}`, 'windows']), row(['---', '---:', '---:', '---:', '---:', '---:']),
    ...metrics.perClass.map((m, i) => row([`\`${names[i]}\``, m.precision.toFixed(4), m.recall.toFixed(4), m.f1.toFixed(4), pct(metrics.detectionRate[i]!), m.support])),
    '',
    'Confusion matrix (rows: true class, columns: predicted by arg-max):',
    '',
    row(['true \\ predicted', ...names]), row(['---', ...names.map(() => '---:')]),
    ...metrics.confusion.map((r, i) => row([`\`${names[i]}\``, ...r])),
    '',
    '## Limits',
    '',
    'Trained on simulated devices only: the metrics say how well the model separates the simulators\' faults, not field performance. ' +
    'A site with real labelled data should retrain or swap in its own model under the same contract (docs/models.md).',
    ''
  ]
  return lines.join('\n')
}
