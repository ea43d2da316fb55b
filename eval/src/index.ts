/** @gangwan/eval: scoring the hub's alerts against scenario ground truth (`npm run eval`). */
export { scoreAlerts, scoreRuns, EARLY_MS, EXPLAIN_GRACE_MS, type CategoryScore, type Score, type Truth } from './score-alerts.ts'
export { checkTargets, formatScore, TARGETS } from './report.ts'
export { runScenario, type RunScenarioOptions, type ScenarioRun } from './run-scenario.ts'
