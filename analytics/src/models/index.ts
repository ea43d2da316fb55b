/**
 * ONNX anomaly models: feature sets per kind, the manifest contract, loading and micro-batched
 * inference. docs/models.md documents the contract a site's own model must meet.
 */
export { createAnomalyStage, type AnomalyStage, type AnomalyStageOptions, type AnomalyStats } from './create-anomaly-stage.ts'
export { loadModels, contentHash, type LoadedModel } from './load-models.ts'
export {
  ModelManifestSchema, ModelEntrySchema, ModelClassSchema, INPUT_NAME, OUTPUT_NAME,
  type ModelManifest, type ModelEntry, type ModelClass
} from './model-manifest.ts'
export { FEATURE_SETS } from './features/feature-sets.ts'
export type { FeatureSet, FeatureDevice, FeatureInfo } from './features/feature-set.ts'
export type { RunnerStats } from './model-runner.ts'
