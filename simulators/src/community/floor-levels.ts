import type { Building } from '@gangwan/contracts'

/** Basement storeys are car parks and plant rooms, taller than dwellings; the file has no field for them. */
export const BASEMENT_FLOOR_HEIGHT_M = 3.6

/** Heights of a building's landings: where each floor's slab is, in metres above ground level. */
export interface FloorLevels {
  /** Height of `floor`'s slab; floor 1 is at 0, basement floor -1 at -3.6 m. */
  levelM: (floor: number) => number
  /** Height of the roof (top of the highest floor). */
  roofM: number
  /** Storey height of `floor` (1..floors). */
  heightOf: (floor: number) => number
}

/**
 * Slab heights from the building's `floorHeightsM` (per storey, e.g. a tall podium) or its uniform
 * `floorHeightM`. There is no floor 0: floor -1 lies directly below floor 1.
 *
 * @example floorLevels(b).levelM(12) // 33 for 3 m storeys
 */
export function floorLevels (b: Pick<Building, 'floors' | 'floorHeightM' | 'floorHeightsM'>): FloorLevels {
  const heights = Array.from({ length: b.floors }, (_, i) => b.floorHeightsM?.[i] ?? b.floorHeightM)
  const base = [0]
  for (let i = 0; i < heights.length; i++) base.push(base[i]! + heights[i]!)
  return {
    levelM: (floor) => {
      if (floor < 0) return floor * BASEMENT_FLOOR_HEIGHT_M
      return base[Math.min(Math.max(floor, 1), b.floors) - 1]!
    },
    roofM: base[b.floors]!,
    heightOf: (floor) => heights[Math.min(Math.max(floor, 1), b.floors) - 1]!
  }
}
