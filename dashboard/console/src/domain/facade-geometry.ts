import type { Building } from '@gangwan/contracts'

/** A storey of a building, from ground level up (metres). */
export interface FloorBand {
  floor: number
  bottomM: number
  topM: number
}

/**
 * The above-ground storeys of a building with their heights: `floorHeightsM` where the community
 * file gives them (a tall podium), else the uniform `floorHeightM` (3 m by default).
 */
export function floorBands (b: Pick<Building, 'floors' | 'floorHeightM' | 'floorHeightsM'>): FloorBand[] {
  const bands: FloorBand[] = []
  let h = 0
  for (let f = 1; f <= b.floors; f++) {
    const height = b.floorHeightsM?.[f - 1] ?? b.floorHeightM ?? 3
    bands.push({ floor: f, bottomM: h, topM: h + height })
    h += height
  }
  return bands
}

/** The storey at height `h` metres (the top floor above the roof line, floor 1 below ground). */
export function floorAtHeight (bands: readonly FloorBand[], h: number): number | undefined {
  if (bands.length === 0) return undefined
  for (const b of bands) if (h < b.topM) return b.floor
  return bands.at(-1)!.floor
}

/** Height in metres of the bottom of `from` to the top of `to` (a floor range band). */
export function rangeHeights (bands: readonly FloorBand[], from: number, to: number): { bottomM: number, topM: number } | undefined {
  const lo = Math.min(from, to)
  const hi = Math.max(from, to)
  const low = bands.find((b) => b.floor === lo) ?? bands[0]
  const high = bands.find((b) => b.floor === hi) ?? bands.at(-1)
  if (low === undefined || high === undefined) return undefined
  return { bottomM: low.bottomM, topM: high.topM }
}
