import { z } from 'zod'
import { ClockTimeSchema, IdSchema } from './ids.ts'
import { ZoneClassSchema } from './zone-class.ts'
import { FireDeviceSchema } from './kinds/fire.ts'
import { ElevatorDeviceSchema } from './kinds/elevator.ts'
import { FumeDeviceSchema } from './kinds/fume.ts'
import { NoiseDeviceSchema } from './kinds/noise.ts'
import { FallingObjectDeviceSchema } from './kinds/falling-object.ts'
import { AnalyticsSettingsSchema } from './settings/index.ts'
import { DispatchSettingsSchema } from './settings/dispatch.ts'
import { DepartmentKindSchema } from './department-kind.ts'

const name = z.string().min(1).max(200)
/** A point on the community's schematic plan, metres east (`x`) and north (`y`) of its origin. */
const PlanPointSchema = z.object({ x: z.number(), y: z.number() }).strict()

/** A grid (网格): the unit of area that routes incidents and owns grid workers. */
export const GridSchema = z.object({
  id: IdSchema,
  name,
  zoneClass: ZoneClassSchema,
  workers: z.number().int().nonnegative().default(2)
}).strict()
export type Grid = z.infer<typeof GridSchema>

/** One face of a building watched by falling-object cameras. `widthM` along the face. */
export const FacadeSchema = z.object({
  id: IdSchema,
  orientation: z.enum(['N', 'E', 'S', 'W']),
  widthM: z.number().positive().max(500)
}).strict()

/**
 * A building. Floors are numbered 1..`floors`; `floorHeightsM` (length `floors`) overrides the
 * uniform `floorHeightM` where storeys differ (e.g. a tall ground-floor podium).
 */
export const BuildingSchema = z.object({
  id: IdSchema,
  name,
  grid: IdSchema,
  floors: z.number().int().min(1).max(200),
  basementFloors: z.number().int().min(0).max(10).default(0),
  floorHeightM: z.number().positive().max(20).default(3),
  floorHeightsM: z.array(z.number().positive().max(20)).optional(),
  facades: z.array(FacadeSchema).min(1),
  position: PlanPointSchema,
  footprint: z.object({ widthM: z.number().positive(), depthM: z.number().positive() }).strict()
}).strict()
export type Building = z.infer<typeof BuildingSchema>

/** Opening hours of a restaurant, one interval per meal service. */
export const OpeningIntervalSchema = z.object({ open: ClockTimeSchema, close: ClockTimeSchema }).strict()

/**
 * A restaurant with a fume monitor. `fumeLimitMgM3` is its emission limit: 2.0 under GB 18483-2001,
 * 1.0 under stricter local standards (e.g. DB11/1488-2018).
 */
export const RestaurantSchema = z.object({
  id: IdSchema,
  name,
  building: IdSchema,
  cookingHeads: z.number().int().min(1).max(100),
  fumeLimitMgM3: z.number().positive().max(50).default(2.0),
  openingHours: z.array(OpeningIntervalSchema).min(1)
}).strict()

/** An elevator: its building, served floors, rated speed in m/s and maintenance company. */
export const ElevatorSchema = z.object({
  id: IdSchema,
  building: IdSchema,
  lowestFloor: z.number().int().min(-10),
  highestFloor: z.number().int().min(1).max(200),
  ratedSpeedMps: z.number().positive().max(20),
  maintainer: IdSchema
}).strict()

/** A person of a department who takes its tasks; `id` is also their console login. */
export const HandlerSchema = z.object({ id: IdSchema, name }).strict()

/** A department, with the grids it covers (empty: the whole community) and its handlers. */
export const DepartmentSchema = z.object({
  id: IdSchema,
  name,
  kind: DepartmentKindSchema,
  grids: z.array(IdSchema).default([]),
  handlers: z.array(HandlerSchema).default([])
}).strict()
export type Department = z.infer<typeof DepartmentSchema>

/** An edge gateway, in a building's plant room, relaying the devices assigned to it. */
export const GatewaySchema = z.object({
  id: IdSchema,
  building: IdSchema,
  name: name.optional()
}).strict()

const deviceBase = {
  id: IdSchema,
  /** Gateway the device is behind; absent for a device that connects to the hub directly. */
  gateway: IdSchema.optional(),
  building: IdSchema,
  model: z.string().max(100).optional()
}

/**
 * One device of the inventory, by kind: fire detectors carry their floor and fire zone, elevator
 * controllers their elevator, fume monitors their restaurant, cameras their façade.
 */
export const DeviceSchema = z.discriminatedUnion('kind', [
  FireDeviceSchema.extend(deviceBase).strict(),
  ElevatorDeviceSchema.extend(deviceBase).strict(),
  FumeDeviceSchema.extend(deviceBase).strict(),
  NoiseDeviceSchema.extend(deviceBase).strict(),
  FallingObjectDeviceSchema.extend(deviceBase).strict()
])
export type Device = z.infer<typeof DeviceSchema>

/** Day/night boundaries for noise limits (GB 3096-2008 §3.4: day 06:00–22:00 unless the city redefines). */
export const NoisePeriodsSchema = z.object({
  dayStart: ClockTimeSchema.default('06:00'),
  nightStart: ClockTimeSchema.default('22:00')
}).strict()

const CommunityShape = z.object({
  schemaVersion: z.literal(1),
  id: IdSchema,
  name,
  timezone: z.string().min(1).default('Asia/Shanghai'),
  noise: NoisePeriodsSchema.default({ dayStart: '06:00', nightStart: '22:00' }),
  /** Analytics thresholds of this site; DOMAIN.md's values where left out. */
  analytics: AnalyticsSettingsSchema.prefault({}),
  /** How alerts merge into incidents, routing and SLA limits; defaults in settings/dispatch.ts. */
  dispatch: DispatchSettingsSchema.prefault({}),
  grids: z.array(GridSchema).min(1),
  buildings: z.array(BuildingSchema).min(1),
  restaurants: z.array(RestaurantSchema).default([]),
  elevators: z.array(ElevatorSchema).default([]),
  departments: z.array(DepartmentSchema).default([]),
  gateways: z.array(GatewaySchema).default([]),
  devices: z.array(DeviceSchema)
}).strict()

type CommunityShapeT = z.infer<typeof CommunityShape>

function checkReferences (c: CommunityShapeT, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string): void => { ctx.addIssue({ code: 'custom', path, message }) }
  const ids = (list: { id: string }[], key: string): Set<string> => {
    const seen = new Set<string>()
    list.forEach((item, i) => {
      if (seen.has(item.id)) issue([key, i, 'id'], `duplicate id "${item.id}"`)
      seen.add(item.id)
    })
    return seen
  }
  const grids = ids(c.grids, 'grids')
  const buildings = new Map(c.buildings.map((b) => [b.id, b]))
  ids(c.buildings, 'buildings')
  const restaurants = ids(c.restaurants, 'restaurants')
  const elevators = ids(c.elevators, 'elevators')
  const departments = ids(c.departments, 'departments')
  const gateways = ids(c.gateways, 'gateways')
  const devices = ids(c.devices, 'devices')
  for (const gw of gateways) if (devices.has(gw)) issue(['gateways'], `id "${gw}" is both a gateway and a device`)

  c.buildings.forEach((b, i) => {
    if (!grids.has(b.grid)) issue(['buildings', i, 'grid'], `unknown grid "${b.grid}"`)
    if (b.floorHeightsM && b.floorHeightsM.length !== b.floors) {
      issue(['buildings', i, 'floorHeightsM'], `has ${b.floorHeightsM.length} entries for ${b.floors} floors`)
    }
  })
  c.restaurants.forEach((r, i) => {
    if (!buildings.has(r.building)) issue(['restaurants', i, 'building'], `unknown building "${r.building}"`)
  })
  c.elevators.forEach((e, i) => {
    const b = buildings.get(e.building)
    if (!b) issue(['elevators', i, 'building'], `unknown building "${e.building}"`)
    else if (e.highestFloor > b.floors) issue(['elevators', i, 'highestFloor'], `building "${b.id}" has ${b.floors} floors`)
    // Same floor numbering as fire detectors: basements -1..-basementFloors, no floor 0.
    if (b && (e.lowestFloor < -b.basementFloors || e.lowestFloor === 0)) {
      issue(['elevators', i, 'lowestFloor'], `building "${b.id}" has floors ${b.basementFloors > 0 ? -b.basementFloors : 1}..${b.floors} (no floor 0)`)
    }
    if (e.lowestFloor >= e.highestFloor) issue(['elevators', i, 'lowestFloor'], 'must be below highestFloor')
    if (!departments.has(e.maintainer)) issue(['elevators', i, 'maintainer'], `unknown department "${e.maintainer}"`)
  })
  c.departments.forEach((d, i) => d.grids.forEach((g, j) => {
    if (!grids.has(g)) issue(['departments', i, 'grids', j], `unknown grid "${g}"`)
  }))
  const handlers = new Set<string>()
  c.departments.forEach((d, i) => d.handlers.forEach((h, j) => {
    if (handlers.has(h.id)) issue(['departments', i, 'handlers', j, 'id'], `duplicate handler "${h.id}"`)
    handlers.add(h.id)
  }))
  const last = c.dispatch.sla.at(-1)
  if (last !== undefined && (last.categories !== undefined || last.severities !== undefined)) {
    issue(['dispatch', 'sla', c.dispatch.sla.length - 1], 'the last SLA row must match every incident (no categories, no severities)')
  }
  c.gateways.forEach((g, i) => {
    if (!buildings.has(g.building)) issue(['gateways', i, 'building'], `unknown building "${g.building}"`)
  })
  c.devices.forEach((d, i) => {
    const b = buildings.get(d.building)
    if (!b) issue(['devices', i, 'building'], `unknown building "${d.building}"`)
    if (d.gateway !== undefined && !gateways.has(d.gateway)) issue(['devices', i, 'gateway'], `unknown gateway "${d.gateway}"`)
    if (d.kind === 'fire' && b && (d.floor > b.floors || d.floor < -b.basementFloors || d.floor === 0)) {
      issue(['devices', i, 'floor'], `building "${b.id}" has floors ${b.basementFloors > 0 ? -b.basementFloors : 1}..${b.floors} (no floor 0)`)
    }
    if (d.kind === 'elevator' && !elevators.has(d.elevator)) issue(['devices', i, 'elevator'], `unknown elevator "${d.elevator}"`)
    if (d.kind === 'fume' && !restaurants.has(d.restaurant)) issue(['devices', i, 'restaurant'], `unknown restaurant "${d.restaurant}"`)
    if (d.kind === 'falling_object' && b && !b.facades.some((f) => f.id === d.facade)) {
      issue(['devices', i, 'facade'], `building "${b.id}" has no facade "${d.facade}"`)
    }
  })
}

/**
 * The community file: one JSON document that drives the hub and the simulators alike. Besides each
 * item's own shape it checks every cross-reference (a device's building, gateway, elevator,
 * restaurant, façade; a building's grid; ...) and names the offending field in the error path.
 *
 * @example
 * const r = CommunitySchema.safeParse(JSON.parse(text))
 * if (!r.success) for (const i of r.error.issues) console.error(i.path.join('.'), i.message)
 */
export const CommunitySchema = CommunityShape.superRefine(checkReferences)
export type Community = z.infer<typeof CommunitySchema>
/** A community file as written, before defaults are applied. */
export type CommunityInput = z.input<typeof CommunitySchema>

/** One line per validation issue: `devices.12.gateway: unknown gateway "GW-X"`. */
export function formatIssues (error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
}
