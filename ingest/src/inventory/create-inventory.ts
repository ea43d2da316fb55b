import type { Community, Device, DeviceKind } from '@gangwan/contracts'
import { KIND_LINES } from '../kinds/index.ts'
import { seriesKey } from '../line/line-protocol.ts'

/** A gateway or device as ingest stores it: its tags, with series keys built once, not per message. */
export interface Source {
  /** Gateway or device id. */
  id: string
  building: string
  grid: string
  /** `status,<tags>` and `heartbeat,<tags>` series keys (tag `gateway` or `device`). */
  statusKey: string
  heartbeatKey: string
}

/** A registered device. */
export interface DeviceSource extends Source {
  device: Device
  kind: DeviceKind
  /** The gateway id its topics carry: its gateway, or itself when it connects directly. */
  gateway: string
  /** `<kind>,<tags>` series key of its telemetry. */
  telemetryKey: string
}

/** Lookups of the community inventory by topic ids. */
export interface Inventory {
  /** The device `deviceId` when it is registered behind `gateway` (or is `gateway` itself, connecting directly). */
  device: (gateway: string, deviceId: string) => DeviceSource | undefined
  /** The source of a gateway-level topic: a gateway, or a device that connects directly. */
  gatewayLevel: (gateway: string) => Source | undefined
}

/**
 * Indexes a validated community for ingest. Tags are the low-cardinality inventory attributes
 * (DESIGN decision 5): device (or gateway), building, grid, and a kind's extra tags (façade).
 *
 * @example const inv = createInventory(community); inv.device('GW-B01', 'B01-F12-S01')?.kind // 'fire'
 */
export function createInventory (community: Community): Inventory {
  const gridOf = new Map(community.buildings.map((b) => [b.id, b.grid]))
  const grid = (building: string): string => {
    const g = gridOf.get(building)
    if (g === undefined) throw new Error(`building "${building}" is not in the community`)
    return g
  }
  const devices = new Map<string, DeviceSource>()
  for (const d of community.devices) {
    const tags = { device: d.id, building: d.building, grid: grid(d.building) }
    const extra = (KIND_LINES[d.kind].extraTags as ((x: Device) => Record<string, string>) | undefined)?.(d)
    devices.set(d.id, {
      id: d.id,
      building: d.building,
      grid: tags.grid,
      statusKey: seriesKey('status', tags),
      heartbeatKey: seriesKey('heartbeat', tags),
      device: d,
      kind: d.kind,
      gateway: d.gateway ?? d.id,
      telemetryKey: seriesKey(d.kind, { ...tags, ...extra })
    })
  }
  const gateways = new Map<string, Source>()
  for (const g of community.gateways) {
    const tags = { gateway: g.id, building: g.building, grid: grid(g.building) }
    gateways.set(g.id, { id: g.id, building: g.building, grid: tags.grid, statusKey: seriesKey('status', tags), heartbeatKey: seriesKey('heartbeat', tags) })
  }
  return {
    device (gateway, deviceId) {
      const d = devices.get(deviceId)
      return d !== undefined && d.gateway === gateway ? d : undefined
    },
    gatewayLevel (gateway) {
      const g = gateways.get(gateway)
      if (g !== undefined) return g
      const d = devices.get(gateway)
      return d !== undefined && d.device.gateway === undefined ? d : undefined
    }
  }
}
