import { CommunitySchema, topics, type Community, type InboundMessage } from '@gangwan/contracts'

/**
 * A small community: grid G1 with building B01 (gateway GW-B01 and one device of each kind behind
 * it), grid G2 with building B02 (gateway GW-B02, no devices) and one noise meter, N-D01, that
 * connects directly.
 */
export function testCommunity (): Community {
  return CommunitySchema.parse({
    schemaVersion: 1,
    id: 'test-community',
    name: 'Test community',
    grids: [{ id: 'G1', name: 'Grid 1', zoneClass: '1' }, { id: 'G2', name: 'Grid 2', zoneClass: '2' }],
    buildings: [
      { id: 'B01', name: 'Building 1', grid: 'G1', floors: 30, facades: [{ id: 'S', orientation: 'S', widthM: 40 }], position: { x: 0, y: 0 }, footprint: { widthM: 40, depthM: 20 } },
      { id: 'B02', name: 'Building 2', grid: 'G2', floors: 20, facades: [{ id: 'N', orientation: 'N', widthM: 30 }], position: { x: 100, y: 0 }, footprint: { widthM: 30, depthM: 20 } }
    ],
    restaurants: [{ id: 'R01', name: 'Noodles', building: 'B01', cookingHeads: 2, openingHours: [{ open: '10:00', close: '22:00' }] }],
    elevators: [{ id: 'E1', building: 'B01', lowestFloor: 1, highestFloor: 30, ratedSpeedMps: 2.5, maintainer: 'DEP-LIFT' }],
    departments: [{ id: 'DEP-LIFT', name: 'Lift Co', kind: 'elevator_maintenance' }],
    gateways: [{ id: 'GW-B01', building: 'B01' }, { id: 'GW-B02', building: 'B02' }],
    devices: [
      { id: 'B01-F12-S01', kind: 'fire', gateway: 'GW-B01', building: 'B01', detector: 'smoke', floor: 12, zone: 'Z12' },
      { id: 'E-B01-1-C', kind: 'elevator', gateway: 'GW-B01', building: 'B01', elevator: 'E1' },
      { id: 'R01-FM', kind: 'fume', gateway: 'GW-B01', building: 'B01', restaurant: 'R01' },
      { id: 'N-B01-01', kind: 'noise', gateway: 'GW-B01', building: 'B01' },
      { id: 'CAM-B01-S', kind: 'falling_object', gateway: 'GW-B01', building: 'B01', facade: 'S' },
      { id: 'N-D01', kind: 'noise', building: 'B02' }
    ]
  })
}

/** Measurement time used by the tests: 2025-11-22T08:26:40.123Z. */
export const T0 = 1_763_800_000_123

/** An InboundMessage as the broker hands it over. */
export function inbound (topic: string, payload: unknown, clientId = topic.split('/')[2] ?? ''): InboundMessage {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
  return { clientId, topic, payload: Buffer.from(body), qos: 1, retain: false, receivedAt: Date.now() }
}

/** One valid telemetry message per device of {@link testCommunity}, with its topic. */
export function samples (seq: number, ts = T0): { device: string; gateway: string; topic: string; msg: Record<string, unknown> }[] {
  const at = (device: string, gateway: string, msg: Record<string, unknown>): { device: string; gateway: string; topic: string; msg: Record<string, unknown> } =>
    ({ device, gateway, topic: topics.telemetry(gateway, device), msg })
  return [
    at('B01-F12-S01', 'GW-B01', { kind: 'fire', seq, ts, smokeDbM: 1e-7, temperatureC: 24.5, alarm: false, fault: false, tamper: true, batteryPct: 87 }),
    at('E-B01-1-C', 'GW-B01', { kind: 'elevator', seq, ts, floor: -1, direction: 'up', speedMps: 1.75, door: 'closed', inDoorZone: false, passenger: true, mode: 'normal', faultCodes: ['E30', 'E41'] }),
    at('R01-FM', 'GW-B01', { kind: 'fume', seq, ts, fumeMgM3: 0.8, particulateMgM3: 2, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 1.2, purifierOn: false }),
    at('N-B01-01', 'GW-B01', { kind: 'noise', seq, ts, intervalS: 60, leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, valid: false, invalidReason: 'wind' }),
    at('CAM-B01-S', 'GW-B01', { kind: 'falling_object', seq, ts, eventId: `ev "${seq}" \\ 1`, building: 'B01', facade: 'S', confidence: 0.93, clip: 'nvr://B01-S/clip 1.mp4', trajectory: [{ t: 0, x: 12.1, h: 50.4 }, { t: 0.5, x: 12.2, h: 49.2 }, { t: 1.25, x: 12.3, h: 42.5 }] }),
    at('N-D01', 'N-D01', { kind: 'noise', seq, ts, leq: 40, lmax: 45, lmin: 35, l10: 42, l50: 40, l90: 36, valid: true })
  ]
}

/** RFC 3339 time InfluxDB reports for a point stored at `ts_ms * 1e6 + seq % 1e6` ns. */
export function pointTime (ts: number, seq = 0): string {
  const frac = (String(ts % 1000).padStart(3, '0') + String(seq % 1_000_000).padStart(6, '0')).replace(/0+$/, '')
  return new Date(ts).toISOString().slice(0, 19) + (frac === '' ? '' : '.' + frac) + 'Z'
}
