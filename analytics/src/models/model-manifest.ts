import { AlertCategorySchema, DeviceKindSchema, SeveritySchema } from '@gangwan/contracts'
import { z } from 'zod'

/** The tensor names every model uses (docs/models.md "Contract"). */
export const INPUT_NAME = 'features'
export const OUTPUT_NAME = 'probabilities'

/**
 * One output class. A class with a `category` raises a signal (`device_health` for a sensor fault,
 * the kind's own category for a pre-threshold pattern); a class without one (`normal`) never does.
 */
export const ModelClassSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  category: AlertCategorySchema.optional(),
  severity: SeveritySchema.optional(),
  title: z.string().min(1).max(200).optional(),
  description: z.string().max(500).optional()
}).strict().refine(
  (c) => (c.category === undefined) === (c.severity === undefined) && (c.category === undefined) === (c.title === undefined),
  { message: 'a signalling class needs category, severity and title together' }
)
export type ModelClass = z.infer<typeof ModelClassSchema>

/** Held-out metrics copied from the model card (informational; the runtime does not use them). */
export const ModelMetricsSchema = z.object({
  windows: z.number().int().nonnegative(),
  accuracy: z.number().min(0).max(1),
  macroF1: z.number().min(0).max(1)
}).strict()

/**
 * One model of the manifest: what file it is, which feature set feeds it and how its output
 * becomes signals. `version` is the first 12 hex digits of the file's SHA-256, so an alert names
 * exactly the weights that fired it.
 */
export const ModelEntrySchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_.-]{0,59}$/),
  version: z.string().regex(/^[0-9a-f]{12}$/, 'must be the first 12 hex digits of the file’s SHA-256'),
  kind: DeviceKindSchema,
  file: z.string().regex(/^[A-Za-z0-9_.-]+\.onnx$/, 'must be a .onnx file name inside the models folder'),
  featureSet: z.string().min(1),
  features: z.number().int().positive(),
  window: z.number().int().positive(),
  stride: z.number().int().positive(),
  input: z.object({ name: z.literal(INPUT_NAME), type: z.literal('float32'), shape: z.tuple([z.literal('N'), z.number().int().positive()]) }).strict(),
  output: z.object({ name: z.literal(OUTPUT_NAME), type: z.literal('float32'), shape: z.tuple([z.literal('N'), z.number().int().positive()]) }).strict(),
  classes: z.array(ModelClassSchema).min(2).max(32),
  /** Raise a class once its probability is ≥ `threshold` in `raiseAfter` consecutive windows. */
  threshold: z.number().gt(0).max(1),
  /** Clear it once its probability falls below `clearThreshold`. */
  clearThreshold: z.number().min(0).max(1),
  raiseAfter: z.number().int().positive().max(100),
  metrics: ModelMetricsSchema.optional()
}).strict().superRefine((m, ctx) => {
  if (m.input.shape[1] !== m.features) ctx.addIssue({ code: 'custom', path: ['input', 'shape'], message: `must be ['N', ${m.features}] (features)` })
  if (m.output.shape[1] !== m.classes.length) ctx.addIssue({ code: 'custom', path: ['output', 'shape'], message: `must be ['N', ${m.classes.length}] (classes)` })
  if (m.clearThreshold > m.threshold) ctx.addIssue({ code: 'custom', path: ['clearThreshold'], message: 'must not exceed threshold' })
  const names = new Set(m.classes.map((c) => c.name))
  if (names.size !== m.classes.length) ctx.addIssue({ code: 'custom', path: ['classes'], message: 'class names must be unique' })
})
export type ModelEntry = z.infer<typeof ModelEntrySchema>

/**
 * `analytics/models/manifest.json`: every anomaly model the hub loads at start.
 *
 * @example ModelManifestSchema.parse(JSON.parse(readFileSync('analytics/models/manifest.json', 'utf8')))
 */
export const ModelManifestSchema = z.object({
  manifestVersion: z.literal(1),
  models: z.array(ModelEntrySchema)
}).strict().superRefine((m, ctx) => {
  const ids = new Set(m.models.map((x) => x.id))
  if (ids.size !== m.models.length) ctx.addIssue({ code: 'custom', path: ['models'], message: 'model ids must be unique' })
})
export type ModelManifest = z.infer<typeof ModelManifestSchema>
