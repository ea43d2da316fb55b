import type { CommunityInput } from '@gangwan/contracts'

/** A community of `gateways` buildings with `devicesPerGateway` fire detectors each, for load runs. */
export function benchCommunity (gateways: number, devicesPerGateway: number): CommunityInput {
  const pad = (n: number): string => String(n).padStart(3, '0')
  const buildings = Array.from({ length: gateways }, (_, i) => ({
    id: `B${pad(i + 1)}`, name: `Building ${i + 1}`, grid: 'G01', floors: 40,
    facades: [{ id: 'S', orientation: 'S' as const, widthM: 40 }], position: { x: i * 60, y: 0 }, footprint: { widthM: 40, depthM: 20 }
  }))
  return {
    schemaVersion: 1,
    id: 'bench',
    name: 'Benchmark community',
    grids: [{ id: 'G01', name: 'Grid 1', zoneClass: '1' }],
    buildings,
    gateways: buildings.map((b) => ({ id: `GW-${b.id}`, building: b.id })),
    devices: buildings.flatMap((b) => Array.from({ length: devicesPerGateway }, (_, j) => ({
      id: `${b.id}-S${pad(j + 1)}`, kind: 'fire' as const, gateway: `GW-${b.id}`, building: b.id,
      detector: 'smoke' as const, floor: (j % 40) + 1, zone: `${b.id}-F${(j % 40) + 1}`
    })))
  }
}
