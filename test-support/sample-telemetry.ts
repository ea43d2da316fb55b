import type { Telemetry } from '@gangwan/contracts'

/** One valid message per kind for the devices of fixtures/mini-community.json. */
export function sampleTelemetry (seq: number, ts: number): { device: string; gateway: string; msg: Telemetry }[] {
  return [
    { device: 'B01-F12-S01', gateway: 'GW-B01', msg: { kind: 'fire', seq, ts, smokeDbM: 0.02, temperatureC: 24.5, alarm: false, fault: false, tamper: false, batteryPct: 87 } },
    { device: 'E-B01-1-C', gateway: 'GW-B01', msg: { kind: 'elevator', seq, ts, floor: 12, direction: 'up', speedMps: 1.75, door: 'closed', inDoorZone: false, passenger: true, mode: 'normal', faultCodes: ['E30', 'E41'] } },
    { device: 'R01-FM', gateway: 'GW-B01', msg: { kind: 'fume', seq, ts, fumeMgM3: 0.8, particulateMgM3: 1.9, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 1.2, purifierOn: true } },
    { device: 'N-G01-01', gateway: 'N-G01-01', msg: { kind: 'noise', seq, ts, intervalS: 60, leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, valid: true } },
    { device: 'CAM-B01-S', gateway: 'GW-B01', msg: { kind: 'falling_object', seq, ts, eventId: `ev-${seq}`, building: 'B01', facade: 'S', confidence: 0.93, clip: 'nvr://B01-S/clip-1.mp4', trajectory: [{ t: 0, x: 12.1, h: 50.4 }, { t: 0.5, x: 12.2, h: 49.2 }, { t: 1, x: 12.3, h: 45.5 }] } }
  ]
}
