/**
 * @gangwan/analytics: per-device windows, rules per device kind citing their clause, ONNX anomaly
 * models, correlation across devices and explained alerts, on measurement time.
 */
export type { Observation } from './core/observation.ts'
export type { AlertDraft, Signal } from './core/signal.ts'
export type { RuleInfo } from './core/rule-info.ts'
export type { CommunityContext, DeviceContext, DeviceOf } from './core/context.ts'
export type { Correlator, DeviceAnalyzer, KindAnalytics } from './core/kind-analytics.ts'
