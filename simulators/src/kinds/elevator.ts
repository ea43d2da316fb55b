import type { Community, ElevatorTelemetry } from '@gangwan/contracts'
import { floorLevels } from '../community/floor-levels.ts'
import type { Rng } from '../rng.ts'
import { round, type DeviceModel, type DeviceSetup, type StepResult } from './device-model.ts'
import { createLandings, movePosition, moveProfile, type Landings, type TripSegment } from './elevator-trip.ts'

/**
 * A trapped passenger, the hook scenarios use: at `fromMs` the car (where it stands, or at `floor`)
 * opens its door, a passenger steps in, the door closes, and the car stalls: levelled at the landing
 * (`position: 'landing'`, default) or after creeping 1.2 m out of the door zone (`'between'`). It
 * stands there with the door shut until the rescue opens the door at `untilMs` (for a car between
 * floors, levelled just before). `faultCodes` are reported while it stands.
 */
export interface ElevatorInjection {
  fromMs: number
  untilMs: number
  position?: 'landing' | 'between'
  floor?: number
  faultCodes?: readonly string[]
}

/** A trap in progress: where the car stands and when. */
interface Trap { floor: number; heightM: number; inDoorZone: boolean; stuckFromMs: number; releaseMs: number; faultCodes: string[] }

/** State of one elevator controller. */
export interface ElevatorState {
  setup: DeviceSetup<'elevator'>
  seq: number
  lift: { ratedSpeedMps: number; accel: number; demandScale: number; landings: Landings }
  /** Landing the car rests at while idle. */
  floor: number
  trip: readonly TripSegment[] | null
  nextCallMs: number
  /** Next idle report, epoch ms. */
  idleDueMs: number
  /** Injected traps not yet begun, by start time; the trap under way. */
  traps: readonly ElevatorInjection[]
  trap: Trap | null
}

// Passenger comfort keeps residential lifts near 1 m/s² (0.8–1.2 typical, jerk-limited).
const ACCEL_MPS2 = 1.0
// Centre-opening landing doors: ~2 s to open, ~3 s to close (closing is slowed to limit door
// kinetic energy, GB/T 7588.1-2020 §5.3.6.2.2.1).
const DOOR_OPENING_MS = 2_000
const DOOR_CLOSING_MS = 3_000
// Door-zone sensors report levelled within about ±150 mm of the sill.
const DOOR_ZONE_M = 0.15
// A trapped passenger: 4 s to step in; a car stalling between floors creeps 1.2 m, well outside
// the door zone; at the rescue the passenger takes 6 s to step out.
const BOARD_MS = 4_000
const STALL_M = 1.2
const ALIGHT_MS = 6_000

// Trips per hour per car of a 40-floor residential tower, by local hour: morning peak down to the
// lobby, evening peak up from it, a lunch bump, a quiet night.
const TRIPS_PER_HOUR = [2, 1, 0.5, 0.5, 0.5, 2, 10, 30, 28, 14, 10, 14, 18, 14, 10, 10, 12, 22, 30, 26, 18, 12, 8, 4]
const MAX_TRIPS_PER_HOUR = Math.max(...TRIPS_PER_HOUR)

function demandPerHour (hour: number): number {
  const i = Math.floor(hour) % 24
  const frac = hour - Math.floor(hour)
  return TRIPS_PER_HOUR[i]! * (1 - frac) + TRIPS_PER_HOUR[(i + 1) % 24]! * frac
}

/** Next call after `fromMs`: a Poisson process thinned by the diurnal demand curve. */
function nextCall (s: Pick<ElevatorState, 'setup' | 'lift'>, fromMs: number, rng: Rng): number {
  const maxRatePerMs = (MAX_TRIPS_PER_HOUR * s.lift.demandScale) / 3_600_000
  let t = fromMs
  for (;;) {
    t += Math.max(1, Math.round(rng.exp(maxRatePerMs)))
    const rate = demandPerHour(s.setup.clock.hourOfDay(t)) * s.lift.demandScale
    if (rng.float() * MAX_TRIPS_PER_HOUR * s.lift.demandScale <= rate) return t
  }
}

/** Origin and destination of a call: mornings go down to the lobby, evenings up from it. */
function callRoute (s: ElevatorState, hour: number, rng: Rng): [number, number] {
  const { floors } = s.lift.landings
  const lowest = floors[0]!
  const highest = floors[floors.length - 1]!
  const upper = floors.filter((f) => f >= 2)
  const ground = lowest < 1 && rng.chance(0.35) ? rng.int(lowest, -1) : 1
  const home = upper.length > 0 ? rng.pick(upper) : highest
  const pDown = hour >= 6 && hour < 9.5 ? 0.75 : hour >= 16.5 && hour < 20.5 ? 0.2 : 0.45
  const u = rng.float()
  let route: [number, number]
  if (u < pDown) route = [home, ground]
  else if (u < 0.9 || floors.length < 3) route = [ground, home]
  else route = [rng.pick(upper.length > 0 ? upper : floors), rng.pick(floors)]
  if (route[0] === route[1]) route = route[0] === highest ? [highest, 1] : [route[0], highest]
  return route
}

function planTrip (s: ElevatorState, tc: number, rng: Rng): TripSegment[] {
  const [origin, dest] = callRoute(s, s.setup.clock.hourOfDay(tc), rng)
  const segs: TripSegment[] = []
  let t = tc
  const move = (from: number, to: number, passenger: boolean): void => {
    const fromM = s.lift.landings.heightOf(from)
    const toM = s.lift.landings.heightOf(to)
    const p = moveProfile(Math.abs(toM - fromM), s.lift.ratedSpeedMps, s.lift.accel)
    const t1 = t + Math.round(p.durationS * 1000)
    segs.push({ kind: 'move', t0: t, t1, fromM, toM, peakMps: p.peakMps, accel: s.lift.accel, cruiseS: p.cruiseS, passenger })
    t = t1
  }
  const door = (floor: number, before: boolean, after: boolean): void => {
    // Passengers step in or out while the door stands open, 3–8 s.
    const dwell = Math.round(rng.between(3_000, 8_000))
    segs.push({ kind: 'opening', t0: t, t1: t + DOOR_OPENING_MS, floor, passenger: before })
    t += DOOR_OPENING_MS
    segs.push({ kind: 'open', t0: t, t1: t + dwell, floor, passengerBefore: before, passengerAfter: after })
    t += dwell
    segs.push({ kind: 'closing', t0: t, t1: t + DOOR_CLOSING_MS, floor, passenger: after })
    t += DOOR_CLOSING_MS
  }
  if (origin !== s.floor) move(s.floor, origin, false)
  door(origin, false, true)
  move(origin, dest, true)
  door(dest, true, false)
  return segs
}

function sample (s: ElevatorState, t: number): ElevatorTelemetry {
  const base = { kind: 'elevator' as const, seq: s.seq, ts: t }
  const tail = { mode: 'normal' as const, faultCodes: [] }
  const trap = s.trap
  if (trap !== null && t >= trap.stuckFromMs && t < trap.releaseMs) {
    return {
      ...base, floor: trap.floor, direction: 'stop', speedMps: 0, door: 'closed', inDoorZone: trap.inDoorZone, passenger: true,
      mode: 'normal', faultCodes: [...trap.faultCodes]
    }
  }
  const seg = s.trip?.find((x) => x.t0 <= t && t < x.t1)
  if (seg === undefined) {
    return { ...base, floor: s.floor, direction: 'stop', speedMps: 0, door: 'closed', inDoorZone: true, passenger: false, ...tail }
  }
  if (seg.kind === 'move') {
    const { heightM, speedMps } = movePosition(seg, (t - seg.t0) / 1000)
    const floor = s.lift.landings.nearest(heightM)
    return {
      ...base,
      floor,
      direction: seg.toM > seg.fromM ? 'up' : 'down',
      speedMps: round(speedMps, 2),
      door: 'closed',
      inDoorZone: Math.abs(heightM - s.lift.landings.heightOf(floor)) <= DOOR_ZONE_M,
      passenger: seg.passenger,
      ...tail
    }
  }
  const passenger = seg.kind === 'open' ? (t < (seg.t0 + seg.t1) / 2 ? seg.passengerBefore : seg.passengerAfter) : seg.passenger
  return { ...base, floor: seg.floor, direction: 'stop', speedMps: 0, door: seg.kind, inDoorZone: true, passenger, ...tail }
}

/** The landing the car is at (or nearest to, when moving) at `t`. */
function floorAt (s: ElevatorState, t: number): number {
  const trip = s.trip
  if (trip === null || trip.length === 0) return s.floor
  const seg = trip.find((x) => x.t0 <= t && t < x.t1) ?? trip[trip.length - 1]!
  if (seg.kind !== 'move') return seg.floor
  const tau = t < seg.t1 ? (t - seg.t0) / 1000 : Infinity
  return s.lift.landings.nearest(movePosition(seg, tau).heightM)
}

function creep (s: ElevatorState, t0: number, fromM: number, toM: number): Extract<TripSegment, { kind: 'move' }> {
  const p = moveProfile(Math.abs(toM - fromM), s.lift.ratedSpeedMps, s.lift.accel)
  return { kind: 'move', t0, t1: t0 + Math.round(p.durationS * 1000), fromM, toM, peakMps: p.peakMps, accel: s.lift.accel, cruiseS: p.cruiseS, passenger: true }
}

/**
 * When an injected trap's car stands still with its door shut and the passenger in: `fromMs` plus
 * the boarding (door opening, stepping in, door closing) and, between floors, the creep out of
 * the door zone. Scenarios' ground truth starts the incident here.
 *
 * @example trappedFromMs({ fromMs: t, untilMs: t + 600_000 }, 2.5) // t + 9_000
 */
export function trappedFromMs (inj: Pick<ElevatorInjection, 'fromMs' | 'position'>, ratedSpeedMps: number): number {
  const stall = inj.position === 'between' ? Math.round(moveProfile(STALL_M, ratedSpeedMps, ACCEL_MPS2).durationS * 1000) : 0
  return inj.fromMs + DOOR_OPENING_MS + BOARD_MS + DOOR_CLOSING_MS + stall
}

/** Abandons the car's trip for the trap: boarding, the stall, and the rescue planned as one trip with a gap. */
function startTrap (s: ElevatorState, inj: ElevatorInjection): ElevatorState {
  const L = s.lift.landings
  const floor = inj.floor !== undefined ? L.nearest(L.heightOf(inj.floor)) : floorAt(s, inj.fromMs)
  const landingM = L.heightOf(floor)
  let t = inj.fromMs
  const segs: TripSegment[] = [{ kind: 'opening', t0: t, t1: t + DOOR_OPENING_MS, floor, passenger: false }]
  t += DOOR_OPENING_MS
  segs.push({ kind: 'open', t0: t, t1: t + BOARD_MS, floor, passengerBefore: false, passengerAfter: true })
  t += BOARD_MS
  segs.push({ kind: 'closing', t0: t, t1: t + DOOR_CLOSING_MS, floor, passenger: true })
  t += DOOR_CLOSING_MS
  let heightM = landingM
  if (inj.position === 'between') {
    // Creep away from the landing, upwards unless at the top one.
    heightM = landingM + (floor < L.floors[L.floors.length - 1]! ? STALL_M : -STALL_M)
    const move = creep(s, t, landingM, heightM)
    segs.push(move)
    t = move.t1
  }
  const stuckFromMs = t
  // The rescue opens the door at `untilMs`; a car between floors is levelled just before.
  const level = heightM === landingM ? undefined : creep(s, 0, heightM, landingM)
  const levelMs = level === undefined ? 0 : level.t1
  const openMs = Math.max(inj.untilMs, stuckFromMs + levelMs + 1_000)
  if (level !== undefined) segs.push({ ...level, t0: openMs - levelMs, t1: openMs })
  segs.push({ kind: 'opening', t0: openMs, t1: openMs + DOOR_OPENING_MS, floor, passenger: true })
  segs.push({ kind: 'open', t0: openMs + DOOR_OPENING_MS, t1: openMs + DOOR_OPENING_MS + ALIGHT_MS, floor, passengerBefore: true, passengerAfter: false })
  const closeMs = openMs + DOOR_OPENING_MS + ALIGHT_MS
  segs.push({ kind: 'closing', t0: closeMs, t1: closeMs + DOOR_CLOSING_MS, floor, passenger: false })
  const trap: Trap = {
    floor: L.nearest(heightM), heightM, inDoorZone: heightM === landingM, stuckFromMs, releaseMs: openMs - levelMs, faultCodes: [...(inj.faultCodes ?? [])]
  }
  return { ...s, trip: segs, floor, trap }
}

/**
 * An elevator controller reporting GB/T 24476-2017 real-time data. Calls arrive by a diurnal
 * demand curve (morning and evening peaks, quiet nights); each trip runs door closing → accelerate
 * to the rated speed → cruise → decelerate → stop in the door zone → door opening → open while
 * passengers move → closing. Reports every 1 s during a trip and every 10 s when idle.
 * `inject` traps a passenger (see {@link ElevatorInjection}); a trapped car reports every 10 s.
 */
export const elevatorModel: DeviceModel<'elevator', ElevatorState, ElevatorInjection> = {
  kind: 'elevator',
  init (setup, startMs, rng) {
    const lift: Community['elevators'][number] | undefined = setup.community.elevators.find((e) => e.id === setup.device.elevator)
    if (lift === undefined) throw new Error(`elevator "${setup.device.elevator}" of device "${setup.device.id}" is not in the community`)
    const landings = createLandings(lift.lowestFloor, lift.highestFloor, floorLevels(setup.building).levelM)
    const partial = {
      setup,
      lift: { ratedSpeedMps: lift.ratedSpeedMps, accel: ACCEL_MPS2, demandScale: rng.between(0.7, 1.3), landings }
    }
    const state: ElevatorState = {
      ...partial,
      seq: 0,
      floor: rng.chance(0.5) ? 1 : rng.pick(landings.floors),
      trip: null,
      nextCallMs: nextCall(partial, startMs, rng),
      idleDueMs: startMs + Math.floor(rng.float() * setup.options.elevator.idleIntervalMs),
      traps: [],
      trap: null
    }
    return { state, nextMs: Math.min(state.idleDueMs, state.nextCallMs) }
  },
  step (s0, t, rng): StepResult<'elevator', ElevatorState> {
    let s = s0
    const due = s.traps[0]
    if (due !== undefined && t >= due.fromMs) s = startTrap({ ...s, traps: s.traps.slice(1) }, due)
    for (;;) {
      const end = s.trip?.[s.trip.length - 1]?.t1
      if (s.trip !== null && end !== undefined && t >= end) {
        const last = s.trip[s.trip.length - 1]!
        const floor = last.kind === 'move' ? s.lift.landings.nearest(last.toM) : last.floor
        s = { ...s, trip: null, trap: null, floor, nextCallMs: nextCall(s, end, rng) }
      } else if (s.trip === null && t >= s.nextCallMs) {
        s = { ...s, trip: planTrip(s, s.nextCallMs, rng) }
      } else break
    }
    const msg = sample(s, t)
    const opts = s.setup.options.elevator
    const nextTrap = s.traps[0]?.fromMs ?? Infinity
    if (s.trip !== null) {
      const trap = s.trap
      const stuck = trap !== null && t >= trap.stuckFromMs && t < trap.releaseMs
      let nextMs = stuck ? Math.min(t + opts.idleIntervalMs, trap.releaseMs) : t + opts.movingIntervalMs
      // Report the moment the stalled car comes to rest: the trapped time counts from there.
      if (trap !== null && t < trap.stuckFromMs) nextMs = Math.min(nextMs, trap.stuckFromMs)
      return { state: { ...s, seq: s.seq + 1, idleDueMs: t + opts.idleIntervalMs }, messages: [msg], nextMs: Math.min(nextMs, Math.max(nextTrap, t + 1)) }
    }
    let idleDueMs = s.idleDueMs
    while (idleDueMs <= t) idleDueMs += opts.idleIntervalMs
    return { state: { ...s, seq: s.seq + 1, idleDueMs }, messages: [msg], nextMs: Math.min(idleDueMs, s.nextCallMs, Math.max(nextTrap, t + 1)) }
  },
  inject (s, injection) {
    if (!Number.isFinite(injection.fromMs) || !(injection.untilMs > injection.fromMs)) {
      throw new RangeError('an elevator injection needs fromMs < untilMs (epoch ms)')
    }
    const traps = [...s.traps, injection].sort((a, b) => a.fromMs - b.fromMs)
    return { state: { ...s, traps }, wakeMs: injection.fromMs }
  }
}
