// The incident workflow's pure domain: merging alerts, routing, SLA and escalation, the
// lifecycle state machine and metrics. No I/O; time is a parameter.
export { indexKeys, lookupKeys, mergeRuleApplies, scopeKey } from './scope-keys.ts'
export { planAlert, type AlertDecision } from './plan-alert.ts'
export { moreSevere, raiseSeverity } from './raise-severity.ts'
export { routeIncident, pickHandler, type Route } from './route-incident.ts'
export { slaRow, stepLimitMs, escalate } from './sla.ts'
export { applyAction } from './lifecycle.ts'
export { allowedActions, TRANSITIONS } from './transitions.ts'
export { computeMetrics, type MetricsGroup, type MetricsQuery, type MetricsReport } from './metrics.ts'
export { periodKey, type MetricsPeriod } from './period-key.ts'
export { departmentLabel } from './department-label.ts'
