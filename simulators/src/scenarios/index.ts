/**
 * Scenario files: incidents and faults injected into a simulation at given times, and the ground
 * truth the hub's alerts are scored against (docs/scenarios.md).
 */
export {
  ScenarioFileSchema, ScenarioOptionsSchema, IncidentSchema, FireIncidentSchema, TrappedIncidentSchema,
  PurifierOffIncidentSchema, FumeExceedanceIncidentSchema, NoiseIncidentSchema, ThrownObjectIncidentSchema,
  SensorFaultIncidentSchema, DustyDetectorIncidentSchema,
  type Incident, type IncidentSpec, type IncidentType, type Scenario, type ScenarioFile, type ScenarioFileInput, type ScenarioOptions
} from './scenario-schema.ts'
export { loadScenario, parseScenario, type ScenarioOverrides } from './load-scenario.ts'
export { planScenario, type ScenarioPlan } from './plan-scenario.ts'
export { groundTruth, formatTruth } from './ground-truth.ts'
export { backgroundTruth } from './background-truth.ts'
export { TruthItemSchema, TRUTH_TYPES, AlertPatternSchema, type TruthItem, type AlertPattern } from './truth-item.ts'
export { resolveScenarioTime, parseScenarioDuration, parseIsoTime } from './scenario-time.ts'
export { INCIDENT_HANDLERS } from './incidents/prepare-incidents.ts'
