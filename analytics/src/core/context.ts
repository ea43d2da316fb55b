import type { AlertLocation, AnalyticsSettings, Building, Community, Device, DeviceKind, Grid } from '@gangwan/contracts'
import type { Logger } from 'pino'

/** The inventory entry of a device of kind `K`. */
export type DeviceOf<K extends DeviceKind> = Extract<Device, { kind: K }>

/** What the whole community's analytics share. */
export interface CommunityContext {
  community: Community
  settings: AnalyticsSettings
  log: Logger
  /** Looks a device up with its building, grid and base location; undefined when unknown. */
  device: (id: string) => DeviceContext<DeviceKind> | undefined
}

/** One device with where it is, built once from the community file. */
export interface DeviceContext<K extends DeviceKind> {
  device: DeviceOf<K>
  building: Building
  grid: Grid
  /** Grid, building and what the kind adds (floor and zone, elevator, restaurant, façade). */
  location: AlertLocation
  community: Community
  settings: AnalyticsSettings
  log: Logger
}
