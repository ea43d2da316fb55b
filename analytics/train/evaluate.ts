import * as ort from 'onnxruntime-node'
import type { Dataset } from './make-dataset.ts'

/** Held-out metrics of one model, as the model card prints them. */
export interface Metrics {
  windows: number
  accuracy: number
  macroF1: number
  /** Per class: precision, recall, F1 of the arg-max decision, and windows of the class. */
  perClass: { precision: number, recall: number, f1: number, support: number }[]
  /** confusion[true][predicted], counts of the arg-max decision. */
  confusion: number[][]
  /** Share of fault-free (class 0) windows where some other class reaches the decision threshold. */
  falseAlarmRate: number
  /** Per class: share of its windows where its own probability reaches the decision threshold. */
  detectionRate: number[]
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

/** Runs an ONNX model over a dataset in batches of 1,024 rows; returns the probabilities [n × C]. */
export async function predict (onnx: Uint8Array, ds: Dataset): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(onnx)
  try {
    const out: Float32Array[] = []
    for (let i = 0; i < ds.n; i += 1024) {
      const n = Math.min(1024, ds.n - i)
      const input = new ort.Tensor('float32', ds.x.slice(i * ds.f, (i + n) * ds.f), [n, ds.f])
      const r = await session.run({ features: input })
      const p = r.probabilities!.data as Float32Array
      const c = p.length / n
      for (let k = 0; k < n; k++) out.push(p.slice(k * c, (k + 1) * c))
    }
    return out
  } finally {
    await session.release()
  }
}

/**
 * Scores probabilities against the labels: arg-max confusion matrix, per-class precision and
 * recall, and what the decision `threshold` does (detections per class, false alarms on class 0).
 * Values are rounded to 4 decimals so the model card reads the same on every rerun.
 */
export function score (probs: readonly Float32Array[], y: Int32Array, classes: number, threshold: number): Metrics {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  const detected = new Array<number>(classes).fill(0)
  let falseAlarms = 0
  probs.forEach((p, i) => {
    let best = 0
    for (let c = 1; c < classes; c++) if (p[c]! > p[best]!) best = c
    const truth = y[i]!
    confusion[truth]![best]!++
    if (p[truth]! >= threshold) detected[truth]!++
    if (truth === 0 && p.some((v, c) => c > 0 && v >= threshold)) falseAlarms++
  })
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0))
  const perClass = confusion.map((row, c) => {
    const tp = row[c]!
    const predicted = confusion.reduce((a, r) => a + r[c]!, 0)
    const precision = predicted > 0 ? tp / predicted : 0
    const recall = support[c]! > 0 ? tp / support[c]! : 0
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
    return { precision: round4(precision), recall: round4(recall), f1: round4(f1), support: support[c]! }
  })
  const correct = confusion.reduce((a, row, c) => a + row[c]!, 0)
  return {
    windows: probs.length,
    accuracy: round4(probs.length > 0 ? correct / probs.length : 0),
    macroF1: round4(perClass.reduce((a, m) => a + m.f1, 0) / classes),
    perClass,
    confusion,
    falseAlarmRate: round4(support[0]! > 0 ? falseAlarms / support[0]! : 0),
    detectionRate: detected.map((d, c) => round4(support[c]! > 0 ? d / support[c]! : 0))
  }
}
