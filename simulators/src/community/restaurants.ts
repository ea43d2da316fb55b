import type { CommunityInput } from '@gangwan/contracts'
import type { Rng } from '../rng.ts'

type RestaurantInput = NonNullable<CommunityInput['restaurants']>[number]

interface Cuisine { name: string; heads: [number, number]; hours: { open: string; close: string }[] }

// Guiyang's podium restaurants: breakfast noodle shops, sour-soup fish, griddle (烙锅), hotpot and
// barbecue, each with its usual meal services.
const CUISINES: Cuisine[] = [
  { name: '牛肉粉', heads: [1, 3], hours: [{ open: '06:30', close: '13:30' }, { open: '17:00', close: '20:30' }] },
  { name: '肠旺面', heads: [1, 3], hours: [{ open: '06:30', close: '14:00' }] },
  { name: '酸汤鱼', heads: [3, 6], hours: [{ open: '10:30', close: '14:00' }, { open: '16:30', close: '21:30' }] },
  { name: '烙锅', heads: [2, 5], hours: [{ open: '11:00', close: '14:00' }, { open: '17:00', close: '22:00' }] },
  { name: '豆米火锅', heads: [2, 4], hours: [{ open: '11:00', close: '14:30' }, { open: '17:00', close: '22:00' }] },
  { name: '丝娃娃', heads: [1, 2], hours: [{ open: '10:00', close: '21:00' }] },
  { name: '家常菜馆', heads: [4, 8], hours: [{ open: '10:30', close: '14:00' }, { open: '16:30', close: '21:00' }] },
  { name: '烧烤', heads: [2, 4], hours: [{ open: '17:00', close: '23:30' }] }
]

/**
 * One to four restaurants in each podium building. Their fume limit is the national 2.0 mg/m³
 * (GB 18483-2001) for most, 1.0 for about a quarter (sites under a stricter local rule, as in
 * DB11/1488-2018); the id doubles as the id of the fume monitor in the duct.
 */
export function generateRestaurants (rng: Rng, podiumBuildings: readonly string[]): RestaurantInput[] {
  const planned = podiumBuildings.flatMap((building) => Array.from({ length: rng.int(1, 4) }, () => ({ building, cuisine: rng.pick(CUISINES) })))
  const w = Math.max(2, String(planned.length).length)
  return planned.map(({ building, cuisine }, k) => ({
    id: `R-${String(k + 1).padStart(w, '0')}`,
    name: `${cuisine.name} · ${building}`,
    building,
    cookingHeads: rng.int(cuisine.heads[0], cuisine.heads[1]),
    fumeLimitMgM3: rng.chance(0.25) ? 1 : 2,
    openingHours: cuisine.hours.map((h) => ({ ...h }))
  }))
}
