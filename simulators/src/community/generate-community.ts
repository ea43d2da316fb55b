import { CommunitySchema, formatIssues, GangwanError, type CommunityInput } from '@gangwan/contracts'
import { createRng, type Rng } from '../rng.ts'
import { generateDepartments } from './departments.ts'
import { fireCapacity, fireDetectors, type FireLayout } from './fire-detectors.ts'
import { generateRestaurants } from './restaurants.ts'

/** What to generate: the seed fixes every choice; `devices` is met within ±2 %. */
export interface GenerateCommunityOptions {
  seed: number
  buildings: number
  devices: number
  name?: string
  id?: string
}

/** The committed example, `communities/huaguoyuan.json`. */
export const DEMO_PRESET = Object.freeze({ seed: 1, buildings: 20, devices: 2000, name: '花果园 (Huaguoyuan demo)', id: 'huaguoyuan' })
/** Huaguoyuan at full scale (DOMAIN.md): 311 high-rises, ~14,500 front-end devices. */
export const FULL_PRESET = Object.freeze({ buildings: 311, devices: 14_500, name: '花果园 (Huaguoyuan, full scale)', id: 'huaguoyuan-full' })

type BuildingInput = CommunityInput['buildings'][number]
type DeviceInput = CommunityInput['devices'][number]
type GridInput = CommunityInput['grids'][number]

const pad = (n: number, width: number): string => String(n).padStart(width, '0')
const width = (count: number): number => Math.max(2, String(count).length)
const half = (x: number): number => Math.round(x * 2) / 2

// Plan: buildings 60 m apart in 2 × 2 blocks, 30 m streets between blocks; the main arterial road
// runs along the south edge (row 0), where the commercial podiums are.
const SPACING_M = 60
const STREET_M = 30
const STREET_NAMES = ['花果园大街', '花果园中路', '五里冲路', '湿地公园路', '彭家湾路', '松花路', '兴关路', '花果园后街']

interface Planned { b: BuildingInput; row: number; podiumFloors: number }

function planBuildings (rng: Rng, n: number, cols: number, gridOf: (i: number) => string): Planned[] {
  const idw = width(n)
  const blockCols = Math.ceil(cols / 2)
  const inBlock = new Map<number, number>()
  return Array.from({ length: n }, (_, i) => {
    const row = Math.floor(i / cols)
    const col = i % cols
    const block = Math.floor(row / 2) * blockCols + Math.floor(col / 2) + 1
    inBlock.set(block, (inBlock.get(block) ?? 0) + 1)
    // Huaguoyuan's towers average over 40 floors (DOMAIN.md).
    const floors = Math.min(58, Math.max(26, Math.round(rng.normal(43, 7))))
    const basementFloors = rng.chance(0.1) ? 0 : rng.int(1, 3)
    const podium = i === 0 || (row === 0 ? rng.chance(0.8) : rng.chance(0.25))
    const podiumFloors = podium ? rng.int(2, 4) : 0
    const widthM = half(rng.between(30, 48))
    const depthM = half(rng.between(16, 24))
    const b: BuildingInput = {
      id: `B${pad(i + 1, idw)}`,
      name: `花果园${block}区${inBlock.get(block)}栋`,
      grid: gridOf(i),
      floors,
      basementFloors,
      // Residential storeys 3.0 m; shop podiums 4.5–5.4 m.
      floorHeightM: 3,
      ...(podium ? { floorHeightsM: Array.from({ length: floors }, (_, f) => (f < podiumFloors ? half(rng.between(4.5, 5.4)) : 3)) } : {}),
      facades: [
        { id: 'N', orientation: 'N', widthM },
        { id: 'E', orientation: 'E', widthM: depthM },
        { id: 'S', orientation: 'S', widthM },
        { id: 'W', orientation: 'W', widthM: depthM }
      ],
      position: { x: col * SPACING_M + Math.floor(col / 2) * STREET_M, y: row * SPACING_M + Math.floor(row / 2) * STREET_M },
      footprint: { widthM, depthM }
    }
    return { b, row, podiumFloors }
  })
}

/** Shares `total` among weights by largest remainder, so the parts add up exactly. */
function apportion (total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (total * w) / sum)
  const parts = exact.map(Math.floor)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  const missing = total - parts.reduce((a, b) => a + b, 0)
  for (let k = 0; k < missing; k++) parts[order[k % order.length]![1]]! += 1
  return parts
}

/**
 * Generates a community modelled on Guiyang Huaguoyuan (DOMAIN.md): high-rises averaging 40+
 * floors on a plan of streets, grids (235 for 311 buildings) of GB 3096 class 1 (residential) or 2
 * (mixed, with commercial podiums; 4a along the arterial road), restaurants in the podiums,
 * 2–4 elevators per building, departments of every kind, one gateway per building. Every device
 * is behind its building's gateway except the noise meters, which have their own 4G uplink.
 * Deterministic for a seed; the result validates against `CommunitySchema`.
 *
 * @example const c = generateCommunity({ seed: 1, buildings: 20, devices: 2000 })
 */
export function generateCommunity (opts: GenerateCommunityOptions): CommunityInput {
  if (!Number.isInteger(opts.buildings) || opts.buildings < 1) throw new RangeError('buildings must be a positive integer')
  const rng = createRng(opts.seed)
  const nB = opts.buildings
  const nG = Math.max(1, Math.round((nB * 235) / 311))
  const gw = width(nG)
  const gridOf = (i: number): string => `G${pad(Math.floor((i * nG) / nB) + 1, gw)}`
  const cols = Math.max(1, Math.ceil(Math.sqrt(nB * 1.5)))
  const planned = planBuildings(rng, nB, cols, gridOf)

  const grids: GridInput[] = Array.from({ length: nG }, (_, k) => {
    const id = `G${pad(k + 1, gw)}`
    const mine = planned.filter((p) => p.b.grid === id)
    const zoneClass = mine.some((p) => p.podiumFloors > 0) ? '2' : mine.some((p) => p.row === 0) ? '4a' : '1'
    return { id, name: `第${k + 1}网格（${STREET_NAMES[k % STREET_NAMES.length]}）`, zoneClass, workers: rng.int(2, 3) }
  })

  const restaurants = generateRestaurants(rng, planned.filter((p) => p.podiumFloors > 0).map((p) => p.b.id))
  const departments = generateDepartments(planned.map((p) => p.b.id), planned.map((p) => p.b.grid), grids.map((g) => g.id))
  const maintainers = departments.filter((d) => d.kind === 'elevator_maintenance').map((d) => d.id)

  const elevators: NonNullable<CommunityInput['elevators']> = []
  const perBuilding = new Map<string, DeviceInput[]>()
  for (const { b } of planned) {
    const heightM = b.floors * 3
    const count = b.floors >= 45 ? rng.int(3, 4) : b.floors >= 33 ? 3 : 2
    const maintainer = rng.pick(maintainers)
    // Rated speed grows with the rise: 1.75–2.5 m/s below 100 m, up to 4 m/s above 150 m.
    const speeds = heightM < 100 ? [1.75, 2, 2.5] : heightM < 150 ? [2.5, 3] : [3, 4]
    const speed = rng.pick(speeds)
    const devices: DeviceInput[] = []
    for (let k = 1; k <= count; k++) {
      const id = `E-${b.id}-${k}`
      const lowestFloor = k <= 2 && (b.basementFloors ?? 0) > 0 ? -(b.basementFloors ?? 0) : 1
      elevators.push({ id, building: b.id, lowestFloor, highestFloor: b.floors, ratedSpeedMps: speed, maintainer })
      devices.push({ id, kind: 'elevator', gateway: `GW-${b.id}`, building: b.id, elevator: id })
    }
    for (const f of b.facades) devices.push({ id: `CAM-${b.id}-${f.id}`, kind: 'falling_object', gateway: `GW-${b.id}`, building: b.id, facade: f.id })
    for (const r of restaurants.filter((x) => x.building === b.id)) devices.push({ id: r.id, kind: 'fume', gateway: `GW-${b.id}`, building: b.id, restaurant: r.id })
    perBuilding.set(b.id, devices)
  }

  const noise: DeviceInput[] = []
  for (const g of grids) {
    const first = planned.find((p) => p.b.grid === g.id)
    if (first === undefined) continue
    // One meter per grid; a second where shops or traffic make it louder (class 2 / 4a).
    const meters = g.zoneClass === '1' ? 1 : 2
    for (let k = 1; k <= meters; k++) noise.push({ id: `N-${g.id}-${pad(k, 2)}`, kind: 'noise', building: first.b.id })
  }

  const fixed = [...perBuilding.values()].reduce((a, d) => a + d.length, 0) + noise.length
  const layouts: FireLayout[] = planned.map(({ b, podiumFloors }) => ({
    building: b.id,
    gateway: `GW-${b.id}`,
    floors: b.floors,
    basementFloors: b.basementFloors ?? 0,
    kitchenFloors: restaurants.filter((r) => r.building === b.id).map((_, k) => 1 + (k % Math.max(1, podiumFloors)))
  }))
  const budgets = apportion(Math.max(nB, opts.devices - fixed), layouts.map((l) => l.floors + l.basementFloors))
  const devices: DeviceInput[] = []
  planned.forEach(({ b }, i) => {
    const layout = layouts[i]!
    devices.push(...fireDetectors(layout, Math.max(1, Math.min(budgets[i]!, fireCapacity(layout)))), ...perBuilding.get(b.id)!)
  })
  devices.push(...noise)

  const community: CommunityInput = {
    schemaVersion: 1,
    id: opts.id ?? 'huaguoyuan',
    name: opts.name ?? `花果园 (generated, seed ${opts.seed})`,
    timezone: 'Asia/Shanghai',
    noise: { dayStart: '06:00', nightStart: '22:00' },
    grids,
    buildings: planned.map((p) => p.b),
    restaurants,
    elevators,
    departments,
    gateways: planned.map(({ b }) => ({ id: `GW-${b.id}`, building: b.id, name: `${b.id} 设备间网关` })),
    devices
  }
  const check = CommunitySchema.safeParse(community)
  if (!check.success) throw new GangwanError('GW_ERR_COMMUNITY_INVALID', `generated community is invalid:\n${formatIssues(check.error).join('\n')}`)
  return community
}
