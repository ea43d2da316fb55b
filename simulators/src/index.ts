/**
 * @gangwan/simulators: device models for the five kinds, community generation, and a load
 * generator that runs a community against a hub over MQTT. Nothing in the hub imports it.
 */
export { generateCommunity, DEMO_PRESET, FULL_PRESET, type GenerateCommunityOptions } from './community/generate-community.ts'
export { formatCommunity } from './community/format-community.ts'
export { loadCommunity } from './community/load-community.ts'
export { floorLevels, BASEMENT_FLOOR_HEIGHT_M, type FloorLevels } from './community/floor-levels.ts'
export {
  DEFAULT_MODEL_OPTIONS, type DeviceModel, type DeviceOf, type DeviceSetup, type ModelOptions, type StepResult
} from './kinds/device-model.ts'
export { DEVICE_MODELS } from './kinds/device-models.ts'
export { fireModel, type FireInjection, type FireState } from './kinds/fire.ts'
export { elevatorModel, type ElevatorState } from './kinds/elevator.ts'
export { fumeModel, isOpen, type FumeState } from './kinds/fume.ts'
export { noiseModel, rainingAt, type NoiseState } from './kinds/noise.ts'
export { fallingObjectModel, G_MPS2, type FallingObjectState } from './kinds/falling-object.ts'
export {
  createDeviceSimulation, type DeviceSimulation, type DeviceSimulationOptions, type ModelOptionsOverride, type SimClient, type SimMessage
} from './simulation/create-device-simulation.ts'
export { runSimulation, type RunSimulationOptions } from './runner/run-simulation.ts'
export { formatSummary, type ProgressSnapshot, type SimulationSummary } from './runner/simulation-summary.ts'
export { parseDuration } from './runner/parse-duration.ts'
export { createRng, deviceSeed, type Rng } from './rng.ts'
export { createLocalClock, type LocalClock } from './local-clock.ts'
export * from './scenarios/index.ts'
export type { ElevatorInjection } from './kinds/elevator.ts'
export type { FumeInjection } from './kinds/fume.ts'
export type { NoiseInjection } from './kinds/noise.ts'
export type { FallingObjectInjection } from './kinds/falling-object.ts'
