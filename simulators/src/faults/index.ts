/**
 * Seeded, data-describable faults for the simulators' telemetry: sensor faults (stuck-at, drift,
 * spikes, dropouts) and each kind's pre-threshold pattern, with ground-truth tags per message.
 * Scenario files and the anomaly-model training (analytics/train) both use them.
 */
export {
  FaultSpecSchema, StuckFaultSchema, DriftFaultSchema, SpikeFaultSchema, DropoutFaultSchema,
  SmoulderFaultSchema, DoorWearFaultSchema, PurifierWearFaultSchema, SENSOR_FAULTS,
  type FaultSpec, type FaultSpecInput, type FaultType
} from './fault-spec.ts'
export { KIND_FAULTS, type FaultField, type KindFaults } from './fault-fields.ts'
export type { FaultedMessage } from './fault-stage.ts'
export { applyFaults, createFaultInjector, parseFaults, type FaultInjector } from './create-fault-injector.ts'
