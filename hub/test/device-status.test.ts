import { describe, expect, it } from 'vitest'
import { HealthSettingsSchema, type Device } from '@gangwan/contracts'
import { deviceState, statusEvidence, type LastHeard } from '../src/device-status.ts'

// The status rule on plain data: which evidence stands for a device, and how old it may be.

const NOW = Date.UTC(2026, 10, 23, 1, 0, 0)
const health = HealthSettingsSchema.parse({ reportIntervalMs: { fire: 60_000, elevator: 10_000 }, heartbeatIntervalMs: 30_000 })

const detector: Device = { id: 'S1', kind: 'fire', gateway: 'GW1', building: 'B1', detector: 'smoke', floor: 3, zone: 'Z3' }
const lift: Device = { id: 'E1', kind: 'elevator', gateway: 'GW1', building: 'B1', elevator: 'L1' }
const camera: Device = { id: 'C1', kind: 'falling_object', gateway: 'GW1', building: 'B1', facade: 'S' }
const directCamera: Device = { id: 'C2', kind: 'falling_object', building: 'B1', facade: 'S' }

const heard = (devices: Record<string, number>, gateways: Record<string, number>): LastHeard =>
  ({ device: (id) => devices[id], gateway: (id) => gateways[id] })

describe('deviceState: online within offlineAfterMissed intervals, offline after, unknown without evidence', () => {
  const table: Array<[string, number | undefined, 'online' | 'offline' | 'unknown']> = [
    ['nothing heard', undefined, 'unknown'],
    ['just now', NOW, 'online'],
    ['exactly 3 intervals ago', NOW - 180_000, 'online'],
    ['3 intervals and 1 ms ago', NOW - 180_001, 'offline'],
    ['a day ago', NOW - 86_400_000, 'offline'],
    ['a clock 10 s ahead', NOW + 10_000, 'online']
  ]
  for (const [what, lastMs, state] of table) {
    it(`${what}: ${state}`, () => {
      expect(deviceState({ lastMs, intervalMs: 60_000 }, 3, NOW)).toBe(state)
    })
  }
  it('the number of missed intervals is the site\'s', () => {
    expect(deviceState({ lastMs: NOW - 100_000, intervalMs: 60_000 }, 1, NOW)).toBe('offline')
    expect(deviceState({ lastMs: NOW - 100_000, intervalMs: 60_000 }, 2, NOW)).toBe('online')
  })
})

describe('statusEvidence: what stands for a device', () => {
  it('a reporting device stands for itself, at its kind\'s report interval', () => {
    const h = heard({ S1: NOW - 5000, E1: NOW - 25_000 }, { GW1: NOW })
    expect(statusEvidence(detector, health, h)).toEqual({ lastMs: NOW - 5000, intervalMs: 60_000 })
    expect(statusEvidence(lift, health, h)).toEqual({ lastMs: NOW - 25_000, intervalMs: 10_000 })
    expect(deviceState(statusEvidence(lift, health, h), health.offlineAfterMissed, NOW)).toBe('online')
    expect(deviceState(statusEvidence(lift, health, heard({ E1: NOW - 31_000 }, { GW1: NOW })), health.offlineAfterMissed, NOW)).toBe('offline')
  })
  it('a gateway\'s heartbeat does not keep a silent detector online', () => {
    expect(deviceState(statusEvidence(detector, health, heard({}, { GW1: NOW })), 3, NOW)).toBe('unknown')
  })
  it('a camera (events only) is judged by its gateway\'s heartbeat, at the heartbeat interval; its own events do not count', () => {
    expect(statusEvidence(camera, health, heard({ C1: NOW }, { GW1: NOW - 60_000 }))).toEqual({ lastMs: NOW - 60_000, intervalMs: 30_000 })
    expect(deviceState(statusEvidence(camera, health, heard({ C1: NOW }, { GW1: NOW - 91_000 })), 3, NOW)).toBe('offline')
    expect(deviceState(statusEvidence(camera, health, heard({ C1: NOW }, {})), 3, NOW)).toBe('unknown')
  })
  it('a camera that connects directly is judged by its own heartbeat', () => {
    expect(statusEvidence(directCamera, health, heard({ C2: NOW - 1000 }, { GW1: NOW }))).toEqual({ lastMs: NOW - 1000, intervalMs: 30_000 })
  })
})
