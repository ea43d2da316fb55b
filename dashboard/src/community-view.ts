import {
  BuildingSchema, DepartmentSchema, ElevatorSchema, GridSchema, IdSchema, RestaurantSchema, type Community
} from '@gangwan/contracts'
import { z } from 'zod'

/**
 * What the console draws its schematic and pickers from: the community's places and people, as the
 * community file defines them. Not the device inventory (that is `/devices`, with status) and
 * nothing secret: device credentials live in the broker's registry, never in the community file.
 */
export const CommunityViewSchema = z.object({
  id: IdSchema,
  name: z.string(),
  timezone: z.string(),
  grids: z.array(GridSchema),
  /** Floors, storey heights, plan position (m east/north of the origin), footprint and façades. */
  buildings: z.array(BuildingSchema),
  /** Departments with their grids and handlers (`id` is the handler's console login). */
  departments: z.array(DepartmentSchema),
  restaurants: z.array(RestaurantSchema),
  elevators: z.array(ElevatorSchema)
})
export type CommunityView = z.infer<typeof CommunityViewSchema>

/** Projects a validated community onto {@link CommunityViewSchema}, field by field (new fields of the file are not exposed by accident). */
export function communityView (c: Community): CommunityView {
  return {
    id: c.id,
    name: c.name,
    timezone: c.timezone,
    grids: c.grids.map((g) => ({ id: g.id, name: g.name, zoneClass: g.zoneClass, workers: g.workers })),
    buildings: c.buildings.map((b) => ({
      id: b.id, name: b.name, grid: b.grid, floors: b.floors, basementFloors: b.basementFloors, floorHeightM: b.floorHeightM,
      ...(b.floorHeightsM === undefined ? {} : { floorHeightsM: [...b.floorHeightsM] }),
      facades: b.facades.map((f) => ({ id: f.id, orientation: f.orientation, widthM: f.widthM })),
      position: { x: b.position.x, y: b.position.y },
      footprint: { widthM: b.footprint.widthM, depthM: b.footprint.depthM }
    })),
    departments: c.departments.map((d) => ({
      id: d.id, name: d.name, kind: d.kind, grids: [...d.grids], handlers: d.handlers.map((h) => ({ id: h.id, name: h.name }))
    })),
    restaurants: c.restaurants.map((r) => ({
      id: r.id, name: r.name, building: r.building, cookingHeads: r.cookingHeads, fumeLimitMgM3: r.fumeLimitMgM3,
      openingHours: r.openingHours.map((h) => ({ open: h.open, close: h.close }))
    })),
    elevators: c.elevators.map((e) => ({
      id: e.id, building: e.building, lowestFloor: e.lowestFloor, highestFloor: e.highestFloor, ratedSpeedMps: e.ratedSpeedMps, maintainer: e.maintainer
    }))
  }
}
