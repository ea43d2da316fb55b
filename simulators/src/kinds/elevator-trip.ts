/**
 * Kinematics of one elevator trip, kept apart from the elevator's state machine: a trip is a list
 * of timed segments (move, door opening, door open, door closing) planned when the call arrives.
 */

/** One timed part of a trip. Times are epoch ms; heights metres above ground. */
export type TripSegment =
  | { kind: 'move'; t0: number; t1: number; fromM: number; toM: number; peakMps: number; accel: number; cruiseS: number; passenger: boolean }
  | { kind: 'opening' | 'closing'; t0: number; t1: number; floor: number; passenger: boolean }
  | { kind: 'open'; t0: number; t1: number; floor: number; passengerBefore: boolean; passengerAfter: boolean }

/**
 * Plans a move of `distanceM` with a trapezoidal speed profile: accelerate at `accel` up to the
 * rated speed, cruise, decelerate; short hops never reach the rated speed (triangular profile).
 * Returns its duration and peak speed.
 */
export function moveProfile (distanceM: number, ratedMps: number, accel: number): { durationS: number; peakMps: number; cruiseS: number } {
  if (distanceM >= (ratedMps * ratedMps) / accel) {
    const cruiseS = (distanceM - (ratedMps * ratedMps) / accel) / ratedMps
    return { durationS: (2 * ratedMps) / accel + cruiseS, peakMps: ratedMps, cruiseS }
  }
  const peakMps = Math.sqrt(distanceM * accel)
  return { durationS: (2 * peakMps) / accel, peakMps, cruiseS: 0 }
}

/** Height and speed `tauS` seconds into a move segment. */
export function movePosition (seg: Extract<TripSegment, { kind: 'move' }>, tauS: number): { heightM: number; speedMps: number } {
  const { peakMps: v, accel: a, cruiseS } = seg
  const ta = v / a
  const total = 2 * ta + cruiseS
  const dist = Math.abs(seg.toM - seg.fromM)
  const tau = Math.min(Math.max(tauS, 0), total)
  let s: number
  let speed: number
  if (tau < ta) {
    s = (a * tau * tau) / 2; speed = a * tau
  } else if (tau < ta + cruiseS) {
    s = (a * ta * ta) / 2 + v * (tau - ta); speed = v
  } else {
    const rest = total - tau
    s = dist - (a * rest * rest) / 2; speed = a * rest
  }
  const dir = seg.toM >= seg.fromM ? 1 : -1
  return { heightM: seg.fromM + dir * s, speedMps: speed }
}

/** Landings served by one elevator, sorted bottom to top, for height ↔ floor lookups. */
export interface Landings {
  floors: number[]
  heightsM: number[]
  heightOf: (floor: number) => number
  /** The landing nearest to a height (the floor a position indicator shows). */
  nearest: (heightM: number) => number
}

/** Builds {@link Landings} for floors `lowest..highest` (skipping floor 0) from a height function. */
export function createLandings (lowest: number, highest: number, levelM: (floor: number) => number): Landings {
  const floors: number[] = []
  for (let f = lowest; f <= highest; f++) if (f !== 0) floors.push(f)
  const heightsM = floors.map(levelM)
  const byFloor = new Map(floors.map((f, i) => [f, heightsM[i]!]))
  return {
    floors,
    heightsM,
    heightOf: (floor) => byFloor.get(floor) ?? levelM(floor),
    nearest: (h) => {
      let lo = 0
      let hi = heightsM.length - 1
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1
        if (heightsM[mid]! <= h) lo = mid
        else hi = mid
      }
      return Math.abs(heightsM[hi]! - h) < Math.abs(h - heightsM[lo]!) ? floors[hi]! : floors[lo]!
    }
  }
}
