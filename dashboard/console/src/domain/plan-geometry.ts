import type { Building } from '@gangwan/contracts'

/** A rectangle on the plan, metres (x east, y north). */
export interface PlanRect { minX: number, minY: number, maxX: number, maxY: number }

/** A building's footprint, centred on its plan position. */
export function footprintRect (b: Pick<Building, 'position' | 'footprint'>): PlanRect {
  const hw = b.footprint.widthM / 2
  const hd = b.footprint.depthM / 2
  return { minX: b.position.x - hw, minY: b.position.y - hd, maxX: b.position.x + hw, maxY: b.position.y + hd }
}

/** The smallest rectangle around `rects`, grown by `pad` metres on every side. */
export function boundsOf (rects: readonly PlanRect[], pad = 0): PlanRect {
  if (rects.length === 0) return { minX: -pad, minY: -pad, maxX: pad, maxY: pad }
  return {
    minX: Math.min(...rects.map((r) => r.minX)) - pad,
    minY: Math.min(...rects.map((r) => r.minY)) - pad,
    maxX: Math.max(...rects.map((r) => r.maxX)) + pad,
    maxY: Math.max(...rects.map((r) => r.maxY)) + pad
  }
}

/** A colour per grid, evenly spread around the hue circle so neighbouring grids differ. */
export function gridColor (index: number, count: number): string {
  const hue = Math.round((index * 360) / Math.max(1, count) + 200) % 360
  return `hsl(${hue} 70% 60%)`
}
