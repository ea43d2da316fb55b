import type { Building } from '@gangwan/contracts'

/** Heights of a building's floors, for turning a height above ground into a floor. */
export interface FloorScale {
  floors: number
  /** Height of `floor`'s slab above ground, m (floor 1 at 0). */
  levelM: (floor: number) => number
  roofM: number
  /** The floor whose storey [slab, next slab) holds height `h`, clamped to 1..floors. */
  floorAt: (h: number) => number
  /** Continuous position: 3.5 is half-way up floor 3; below ground is 1, above the roof keeps counting. */
  positionAt: (h: number) => number
}

/**
 * Floor n spans the cumulative storey heights [Σ₁ⁿ⁻¹ hᵢ, Σ₁ⁿ hᵢ), from `floorHeightsM` where the
 * community gives them (a tall podium) or the uniform `floorHeightM`.
 *
 * @example floorScale({ floors: 3, floorHeightM: 3, floorHeightsM: [5.4, 3, 3] }).floorAt(6) // 2
 */
export function floorScale (b: Pick<Building, 'floors' | 'floorHeightM' | 'floorHeightsM'>): FloorScale {
  const heights = Array.from({ length: b.floors }, (_, i) => b.floorHeightsM?.[i] ?? b.floorHeightM)
  const base = [0]
  for (const h of heights) base.push(base[base.length - 1]! + h)
  const roofM = base[b.floors]!
  const indexAt = (h: number): number => {
    let n = 1
    while (n < b.floors && base[n]! <= h) n++
    return n
  }
  return {
    floors: b.floors,
    levelM: (floor) => base[Math.min(Math.max(floor, 1), b.floors) - 1]!,
    roofM,
    floorAt: (h) => indexAt(h),
    positionAt: (h) => {
      if (h <= 0) return 1
      if (h >= roofM) return b.floors + 1 + (h - roofM) / heights[b.floors - 1]!
      const n = indexAt(h)
      return n + (h - base[n - 1]!) / heights[n - 1]!
    }
  }
}
