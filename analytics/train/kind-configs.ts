import type { DeviceKind } from '@gangwan/contracts'
import type { KindConfig, NetConfig } from './kind-config.ts'
import { sensorClasses, weighted, type FieldFaults } from './sensor-classes.ts'

const MIN = 60_000
const HOUR = 60 * MIN
const NET: NetConfig = { hidden: 32, epochs: 30, batchSize: 64, learningRate: 0.005 }
const NORMAL = { name: 'normal', description: 'no fault or pattern the model knows' }

/** Progress of a ramp is reached; a sensor fault or pattern must also cover half the window. */
const halfAndRamp = (t: number, w: number, progress: number): boolean => t >= 0.5 * w && progress >= 0.5

// Fire: smoke in dB/m (clean chamber 0.005–0.02, noise sd 0.0015), temperature in °C.
const SMOKE: FieldFaults = { field: 'smokeDbM', drift: { min: 0.008, max: 0.04, up: 0.85 }, spike: { min: 0.02, max: 0.15, probability: [0.05, 0.25], direction: 'up' }, zero: true }
const TEMP: FieldFaults = { field: 'temperatureC', drift: { min: 2, max: 6, up: 0.5 }, spike: { min: 3, max: 15, probability: [0.05, 0.25], direction: 'both' }, zero: true }

const fire: KindConfig<'fire'> = {
  kind: 'fire',
  modelId: 'anomaly.fire',
  title: 'Fire detector anomaly model',
  eligible: (d) => d.detector !== 'manual_call_point',
  classes: [
    NORMAL,
    ...sensorClasses<'fire'>('Fire detector', (d) => d.device.detector === 'heat' ? TEMP : weighted(d.rng, [[SMOKE, 0.7], [TEMP, 0.3]])),
    {
      name: 'smoulder',
      category: 'fire',
      severity: 'P3',
      title: 'Slow smoke rise below the alarm level: possible smouldering fire (anomaly model)',
      description: 'smoke rising ever faster while still under the GB 4715-2024 §5.7 response level',
      faults: (d) => [{
        type: 'smoulder', fromMs: d.fromMs, untilMs: d.untilMs, rampMs: Math.round(d.rng.between(20, 60) * MIN),
        riseDbM: d.rng.between(0.015, 0.03), temperatureRiseC: d.rng.between(0.2, 1.5)
      }],
      visible: halfAndRamp
    }
  ],
  size: { devices: 48, segments: 8, segmentMs: 4 * HOUR, perClassCap: 2500, heldOutCap: 600 },
  net: NET,
  // Hysteresis chosen on fault-free simulated days of the Huaguoyuan community (a false P4 costs a
  // maintenance visit): 4 windows (20 minutes) at 0.95 raised none there, and still most faults.
  threshold: 0.95,
  clearThreshold: 0.4,
  raiseAfter: 4
}

// Elevator: speed in m/s (rated 1–2.5), floor counter.
const SPEED: FieldFaults = { field: 'speedMps', drift: { min: 0.05, max: 0.3, up: 1 }, spike: { min: 1, max: 4, probability: [0.01, 0.05], direction: 'both' }, zero: true }
const FLOOR: FieldFaults = { field: 'floor', spike: { min: 2, max: 10, probability: [0.01, 0.05], direction: 'both' }, zero: false }

const elevator: KindConfig<'elevator'> = {
  kind: 'elevator',
  modelId: 'anomaly.elevator',
  title: 'Elevator controller anomaly model',
  eligible: () => true,
  classes: [
    NORMAL,
    // A floor counter does not drift: drift is the speed sensor's.
    ...sensorClasses<'elevator'>('Elevator', (d, fault) => fault === 'drift' ? SPEED : weighted(d.rng, [[SPEED, 0.7], [FLOOR, 0.3]])),
    {
      name: 'door_wear',
      category: 'elevator',
      severity: 'P4',
      title: 'Door opening or closing slowing down: door operator wear (anomaly model)',
      description: 'door cycles take longer than the lift’s usual 2 s opening / 3 s closing',
      faults: (d) => [{
        type: 'door_wear', fromMs: d.fromMs, untilMs: d.untilMs, rampMs: Math.round(d.rng.between(0.5, 2) * HOUR),
        extraOpeningMs: d.rng.between(1500, 5000), extraClosingMs: d.rng.between(1500, 5000)
      }],
      visible: (t) => t >= 2
    }
  ],
  size: { devices: 24, segments: 8, segmentMs: 3 * HOUR, perClassCap: 2500, heldOutCap: 600 },
  net: NET,
  // Trips of lifts faster than the training ones (4 m/s) reach 0.8–0.95 "spike" now and then.
  threshold: 0.98,
  clearThreshold: 0.4,
  raiseAfter: 4
}

// Fume: concentrations in mg/m³ (limit 1–2), currents in A.
const conc = (field: string): FieldFaults => ({ field, drift: { min: 0.2, max: 1, up: 0.7 }, spike: { min: 0.5, max: 3, probability: [0.05, 0.25], direction: 'up' }, zero: true })
const amps = (field: string): FieldFaults => ({ field, drift: { min: 0.5, max: 2, up: 0.5 }, spike: { min: 1, max: 5, probability: [0.05, 0.25], direction: 'both' }, zero: true })

const fume: KindConfig<'fume'> = {
  kind: 'fume',
  modelId: 'anomaly.fume',
  title: 'Fume monitor anomaly model',
  eligible: () => true,
  classes: [
    NORMAL,
    ...sensorClasses<'fume'>('Fume monitor', (d) => weighted(d.rng, [
      [conc('fumeMgM3'), 0.4], [conc('particulateMgM3'), 0.15], [conc('nmhcMgM3'), 0.15], [amps('fanCurrentA'), 0.15], [amps('purifierCurrentA'), 0.15]
    ])),
    {
      name: 'purifier_wear',
      category: 'fume',
      severity: 'P4',
      title: 'Purifier losing efficiency: current falling, outlet fume rising (anomaly model)',
      description: 'purifier current falling against the fan’s while outlet fume creeps up under the limit (GB 18483-2001 efficiency)',
      faults: (d) => [{
        type: 'purifier_wear', fromMs: d.fromMs, untilMs: d.untilMs, rampMs: Math.round(d.rng.between(0.5, 3) * HOUR),
        currentLoss: d.rng.between(0.3, 0.7), fumeGain: d.rng.between(1.2, 1.6)
      }],
      visible: halfAndRamp
    }
  ],
  size: { devices: 16, segments: 24, segmentMs: 6 * HOUR, perClassCap: 2500, heldOutCap: 600 },
  net: NET,
  // Kitchens open, close and change pace: a reading over 0.8 for two windows is ordinary; six at 0.98 (30 minutes) is not.
  threshold: 0.98,
  clearThreshold: 0.4,
  raiseAfter: 6
}

const LEVELS: FieldFaults = { field: 'levels', drift: { min: 1.5, max: 6, up: 0.5 }, spike: { min: 10, max: 30, probability: [0.03, 0.15], direction: 'both' }, zero: true }

const noise: KindConfig<'noise'> = {
  kind: 'noise',
  modelId: 'anomaly.noise',
  title: 'Noise meter anomaly model',
  eligible: () => true,
  classes: [NORMAL, ...sensorClasses<'noise'>('Noise meter', () => LEVELS)],
  // A compliant site's curve is bent under its limits (the scenarios' default background, the
  // simulators' `withinLimits`): half the meters run that way, so neither daily shape reads as drift.
  background: {
    description: 'half the meters (seeded) run the compliant daily curve, bent under their GB 3096-2008 limits (the scenarios\' default background)',
    injection: (_d, rng) => rng.chance(0.5) ? { withinLimits: true } : undefined
  },
  size: { devices: 23, segments: 20, segmentMs: 6 * HOUR, perClassCap: 2500, heldOutCap: 600 },
  net: NET,
  // The morning and evening ramps of the daily curve rise a few dB an hour, as a slow drift does:
  // only a drift the model is sure of for 30 minutes (6 windows) is raised.
  threshold: 0.98,
  clearThreshold: 0.4,
  raiseAfter: 6
}

const fallingObject: KindConfig<'falling_object'> = {
  kind: 'falling_object',
  modelId: 'anomaly.falling_object',
  title: 'Façade camera track classifier (second opinion)',
  eligible: () => true,
  // ~25 tracks an hour per camera instead of a few a week, half of them not free falls.
  modelOptions: { fallingObject: { eventsPerWeek: 2000, nonPhysicalPerWeek: 2000 } },
  classes: [
    { name: 'physical', description: 'a free fall: left to the thrown-object rules' },
    {
      name: 'non_physical',
      category: 'falling_object',
      severity: 'P4',
      title: 'Tracked object does not fall freely: likely a bird, leaf or laundry (anomaly model)',
      description: 'the track has level or rising stretches no thrown object has; a second opinion on the camera'
    },
    {
      name: 'glitch',
      category: 'device_health',
      severity: 'P4',
      title: 'Camera tracker glitching: points jump off the track (anomaly model)',
      description: 'single trajectory points metres off the curve (the tracker jumped to another blob)',
      faults: (d) => [{
        type: 'spike', fromMs: d.fromMs, untilMs: d.untilMs, field: 'h', direction: 'both',
        probability: d.rng.between(0.05, 0.2), magnitude: d.rng.between(2, 8)
      }]
    }
  ],
  // The simulator marks its non-physical tracks with a tracker confidence of 0.2–0.5 (free falls ≥ 0.78).
  label: (win) => {
    const m = win[win.length - 1]!
    return m.touched.length > 0 ? 2 : m.msg.confidence < 0.6 ? 1 : 0
  },
  size: { devices: 24, segments: 4, segmentMs: 12 * HOUR, perClassCap: 2500, heldOutCap: 600 },
  net: NET,
  threshold: 0.8,
  clearThreshold: 0.5,
  raiseAfter: 1
}

/** The training configuration of every kind. */
export const KIND_CONFIGS: { readonly [K in DeviceKind]: KindConfig<K> } = { fire, elevator, fume, noise, falling_object: fallingObject }
