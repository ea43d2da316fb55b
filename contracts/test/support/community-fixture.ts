import type { CommunityInput } from '../../src/index.ts'

/** The smallest community the schema accepts: one grid, one building, no devices. */
export function minimalCommunity (): CommunityInput {
  return {
    schemaVersion: 1,
    id: 'HGY-MINI',
    name: 'Minimal',
    grids: [{ id: 'G01', name: 'Grid 1', zoneClass: '1' }],
    buildings: [{
      id: 'B01', name: 'Building 1', grid: 'G01', floors: 6,
      facades: [{ id: 'S', orientation: 'S', widthM: 40 }],
      position: { x: 0, y: 0 }, footprint: { widthM: 40, depthM: 15 }
    }],
    devices: []
  }
}

/**
 * A small but complete community exercising every collection and every device kind. Device
 * indexes are fixed so tests can name paths: 0 smoke, 1 heat, 2 elevator, 3 fume, 4 noise,
 * 5 falling-object camera; 0–4 sit behind gateway GW-B03, 5 connects directly.
 */
export function fullCommunity (): CommunityInput {
  return {
    schemaVersion: 1,
    id: 'HGY-TEST',
    name: 'Huaguoyuan test block',
    timezone: 'Asia/Shanghai',
    noise: { dayStart: '06:00', nightStart: '22:00' },
    grids: [
      { id: 'G01', name: 'Grid 1', zoneClass: '1', workers: 3 },
      { id: 'G02', name: 'Grid 2', zoneClass: '4a' }
    ],
    buildings: [
      {
        id: 'B03', name: 'Building 3', grid: 'G01', floors: 33, basementFloors: 2, floorHeightM: 3,
        facades: [{ id: 'S', orientation: 'S', widthM: 60 }, { id: 'N', orientation: 'N', widthM: 60 }],
        position: { x: 120, y: 80 }, footprint: { widthM: 60, depthM: 18 }
      },
      {
        id: 'B07', name: 'Building 7', grid: 'G02', floors: 3, floorHeightsM: [5.4, 3, 3],
        facades: [{ id: 'E', orientation: 'E', widthM: 25 }],
        position: { x: 300, y: -40 }, footprint: { widthM: 25, depthM: 25 }
      }
    ],
    restaurants: [{
      id: 'R01', name: 'Noodle house', building: 'B07', cookingHeads: 4, fumeLimitMgM3: 1.0,
      openingHours: [{ open: '10:30', close: '14:00' }, { open: '17:00', close: '22:30' }]
    }],
    elevators: [{ id: 'E-B03-1', building: 'B03', lowestFloor: -2, highestFloor: 33, ratedSpeedMps: 2.5, maintainer: 'D-LIFT' }],
    departments: [
      { id: 'D-LIFT', name: 'Lift maintenance Co.', kind: 'elevator_maintenance' },
      { id: 'D-PROP', name: 'Property office', kind: 'property', grids: ['G01', 'G02'] }
    ],
    gateways: [{ id: 'GW-B03', building: 'B03', name: 'B03 plant room' }],
    devices: [
      { id: 'B03-F12-S01', kind: 'fire', gateway: 'GW-B03', building: 'B03', detector: 'smoke', floor: 12, zone: 'Z-B03-12' },
      { id: 'B03-FB2-H01', kind: 'fire', gateway: 'GW-B03', building: 'B03', detector: 'heat', heatClass: 'A2', floor: -2, zone: 'Z-B03-B2' },
      { id: 'B03-E1-C', kind: 'elevator', gateway: 'GW-B03', building: 'B03', elevator: 'E-B03-1', model: 'EC-200' },
      { id: 'R01-FM', kind: 'fume', gateway: 'GW-B03', building: 'B07', restaurant: 'R01' },
      { id: 'B03-N01', kind: 'noise', gateway: 'GW-B03', building: 'B03', zoneClass: '2' },
      { id: 'B07-CAM-E', kind: 'falling_object', building: 'B07', facade: 'E' }
    ]
  }
}
