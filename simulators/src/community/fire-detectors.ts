import type { CommunityInput } from '@gangwan/contracts'

type DeviceInput = CommunityInput['devices'][number]
type FireDeviceInput = Extract<DeviceInput, { kind: 'fire' }>
type Slot = Pick<FireDeviceInput, 'detector' | 'heatClass' | 'floor'> & { code: 'S' | 'H' | 'M' }

/** `F12` for floor 12, `B1` for the first basement. */
export function floorLabel (floor: number): string {
  return floor > 0 ? `F${String(floor).padStart(2, '0')}` : `B${-floor}`
}

/** `k` items spread evenly over `items` (all of them when k ≥ length). */
function spread<T> (items: readonly T[], k: number): T[] {
  if (k >= items.length) return [...items]
  return Array.from({ length: k }, (_, j) => items[Math.floor(((j + 0.5) * items.length) / k)]!)
}

/** What a building offers for fire detection, from which {@link fireDetectors} takes its budget. */
export interface FireLayout {
  building: string
  gateway: string
  floors: number
  basementFloors: number
  /** Floors with restaurant kitchens (podium floors), one kitchen per restaurant. */
  kitchenFloors: number[]
}

/**
 * The fire detectors of one building, `budget` of them, in tiers of importance: heat detectors in
 * the plant rooms (pump room at the bottom, lift machine room at the top, GB 4716 class A1) and the
 * podium kitchens (class B, for warm rooms); a smoke detector in every floor's lift lobby (car-park
 * multi-sensors in basements); a manual call point per floor by the stairs; then smoke detectors
 * in the corridors, and more multi-sensors across the car parks. A tier that does not fit whole is
 * spread evenly over the floors. Each detector's fire zone is its floor (GB 50116 §3.3).
 */
export function fireDetectors (layout: FireLayout, budget: number): FireDeviceInput[] {
  const { floors, basementFloors } = layout
  const above = Array.from({ length: floors }, (_, i) => i + 1)
  const below = Array.from({ length: basementFloors }, (_, i) => -(i + 1))
  const all = [...below.slice().reverse(), ...above]
  const tiers: Slot[][] = [
    [
      { detector: 'heat', heatClass: 'A1', floor: all[0]!, code: 'H' },
      { detector: 'heat', heatClass: 'A1', floor: floors, code: 'H' },
      ...layout.kitchenFloors.map((floor): Slot => ({ detector: 'heat', heatClass: 'B', floor, code: 'H' }))
    ],
    all.map((floor): Slot => ({ detector: floor < 0 ? 'multi' : 'smoke', floor, code: 'S' })),
    all.map((floor): Slot => ({ detector: 'manual_call_point', floor, code: 'M' })),
    above.map((floor): Slot => ({ detector: 'smoke', floor, code: 'S' })),
    above.map((floor): Slot => ({ detector: 'smoke', floor, code: 'S' })),
    below.flatMap((floor): Slot[] => Array.from({ length: 4 }, () => ({ detector: 'multi', floor, code: 'S' })))
  ]
  const chosen: Slot[] = []
  let left = Math.max(0, budget)
  for (const tier of tiers) {
    if (left <= 0) break
    const take = spread(tier, left)
    chosen.push(...take)
    left -= take.length
  }
  chosen.sort((a, b) => a.floor - b.floor)
  const counters = new Map<string, number>()
  return chosen.map((slot) => {
    const zone = `${layout.building}-${floorLabel(slot.floor)}`
    const key = `${zone}-${slot.code}`
    const n = (counters.get(key) ?? 0) + 1
    counters.set(key, n)
    return {
      id: `${key}${String(n).padStart(2, '0')}`,
      kind: 'fire',
      gateway: layout.gateway,
      building: layout.building,
      detector: slot.detector,
      ...(slot.heatClass !== undefined ? { heatClass: slot.heatClass } : {}),
      floor: slot.floor,
      zone
    }
  })
}

/** How many detectors {@link fireDetectors} can place in a building at most. */
export function fireCapacity (layout: FireLayout): number {
  return 2 + layout.kitchenFloors.length + 4 * layout.floors + 6 * layout.basementFloors
}
