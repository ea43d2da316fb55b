/**
 * @gangwan/analytics: per-device windows, rules per device kind citing their clause, ONNX anomaly
 * models, correlation across devices and explained alerts, on measurement time.
 */
export type { Observation } from './core/observation.ts'
export type { AlertDraft, Signal } from './core/signal.ts'
export type { RuleInfo } from './core/rule-info.ts'
export type { CommunityContext, DeviceContext, DeviceOf } from './core/context.ts'
export type { Correlator, DeviceAnalyzer, KindAnalytics } from './core/kind-analytics.ts'
export { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS, type AlertBook, type AlertBookOptions } from './core/create-alert-book.ts'
export { createCommunityContext } from './core/create-community-context.ts'
export { createWatermark, type Watermark } from './core/create-watermark.ts'
export { createAnalytics, type Analytics, type AnalyticsDeps, type AnalyticsOptions, type AnomalyStageLike } from './pipeline/create-analytics.ts'
export { createAnalyticsThread, type AnalyticsThread, type AnalyticsThreadOptions } from './pipeline/worker/create-analytics-thread.ts'
export { serveAnalytics, type AnalyticsHost, type AnalyticsHostContext } from './pipeline/worker/serve-analytics.ts'
export type { AnalyticsWorkerInit } from './pipeline/worker/protocol.ts'
export { KIND_ANALYTICS, type AnyKindAnalytics } from './kinds/index.ts'
export * from './models/index.ts'
export { rulesTable } from './core/rules-table.ts'
export { HEALTH_RULES } from './health/health-rules.ts'
