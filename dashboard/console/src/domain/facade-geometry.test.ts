import { describe, expect, it } from 'vitest'
import { floorAtHeight, floorBands, rangeHeights } from './facade-geometry.ts'

describe('floorBands', () => {
  it('stacks uniform storeys', () => {
    expect(floorBands({ floors: 3, floorHeightM: 3 })).toEqual([
      { floor: 1, bottomM: 0, topM: 3 }, { floor: 2, bottomM: 3, topM: 6 }, { floor: 3, bottomM: 6, topM: 9 }
    ])
  })

  it('uses the per-storey heights of a podium', () => {
    const bands = floorBands({ floors: 4, floorHeightM: 3, floorHeightsM: [4.5, 5, 3, 3] })
    expect(bands.map((b) => b.topM)).toEqual([4.5, 9.5, 12.5, 15.5])
    expect(floorAtHeight(bands, 0)).toBe(1)
    expect(floorAtHeight(bands, 4.5)).toBe(2)
    expect(floorAtHeight(bands, 12)).toBe(3)
    expect(floorAtHeight(bands, 99)).toBe(4)
    expect(rangeHeights(bands, 3, 2)).toEqual({ bottomM: 4.5, topM: 12.5 })
  })

  it('knows no floor of a building without storeys', () => {
    expect(floorAtHeight([], 3)).toBeUndefined()
  })
})
