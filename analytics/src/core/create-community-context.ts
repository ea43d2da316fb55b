import type { AlertLocation, Building, Community, DeviceKind, Grid } from '@gangwan/contracts'
import { AnalyticsSettingsSchema } from '@gangwan/contracts'
import type { Logger } from 'pino'
import type { CommunityContext, DeviceContext } from './context.ts'

/**
 * Indexes the community file once: each device with its building, grid and base location (fire:
 * floor and zone; elevator: the lift; fume: the restaurant; camera: the façade).
 *
 * @example const ctx = createCommunityContext(community, log); ctx.device('B03-F12-S01')?.location.floor
 */
export function createCommunityContext (community: Community, log: Logger): CommunityContext {
  const settings = community.analytics ?? AnalyticsSettingsSchema.parse({})
  const buildings = new Map<string, Building>(community.buildings.map((b) => [b.id, b]))
  const grids = new Map<string, Grid>(community.grids.map((g) => [g.id, g]))
  const devices = new Map<string, DeviceContext<DeviceKind>>()
  for (const device of community.devices) {
    const building = buildings.get(device.building)
    const grid = building && grids.get(building.grid)
    if (building === undefined || grid === undefined) continue
    const location: AlertLocation = { grid: grid.id, building: building.id }
    switch (device.kind) {
      case 'fire': location.floor = device.floor; location.zone = device.zone; break
      case 'elevator': location.elevator = device.elevator; break
      case 'fume': location.restaurant = device.restaurant; break
      case 'falling_object': location.facade = device.facade; break
      case 'noise': break
    }
    devices.set(device.id, { device, building, grid, location, community, settings, log })
  }
  return { community, settings, log, device: (id) => devices.get(id) }
}
