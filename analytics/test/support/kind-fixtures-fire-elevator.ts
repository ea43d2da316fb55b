import { CommunitySchema, type CommunityInput, type DeviceKind, type ElevatorTelemetry, type FireTelemetry } from '@gangwan/contracts'
import pino from 'pino'
import type { CommunityContext, DeviceContext } from '../../src/core/context.ts'
import { createCommunityContext } from '../../src/core/create-community-context.ts'
import type { Signal } from '../../src/core/signal.ts'

/** Measurement epoch of the fire and elevator tests (2025-11-22T08:26:40Z). */
export const T0 = 1_763_800_000_000
export const S = 1000
export const MIN = 60 * S

/**
 * A tiny community: building B01 with fire zone B01-F12 (two smoke detectors, a class A2 heat
 * detector, a heat detector of unlisted class, a multi-sensor, a manual call point) and zone
 * B01-F13 (one smoke detector); building B02 reusing the zone name `Z1`, like B01, so that zones are
 * told apart by building; one lift E1 rated 2.5 m/s.
 */
export function fireElevatorCommunity (analytics: CommunityInput['analytics'] = {}): CommunityContext {
  const b = (id: string) => ({
    id, name: id, grid: 'G01', floors: 30, facades: [{ id: 'S', orientation: 'S' as const, widthM: 40 }],
    position: { x: 0, y: 0 }, footprint: { widthM: 40, depthM: 20 }
  })
  const fire = (id: string, building: string, zone: string, floor: number, detector: 'smoke' | 'heat' | 'multi' | 'manual_call_point', heatClass?: 'A1' | 'A2' | 'B' | 'C') =>
    ({ id, kind: 'fire' as const, building, zone, floor, detector, ...(heatClass ? { heatClass } : {}) })
  const community = CommunitySchema.parse({
    schemaVersion: 1,
    id: 'fe',
    name: 'Fire and elevator test community',
    analytics,
    grids: [{ id: 'G01', name: 'Grid 1', zoneClass: '1' }],
    buildings: [b('B01'), b('B02')],
    elevators: [{ id: 'E1', building: 'B01', lowestFloor: 1, highestFloor: 30, ratedSpeedMps: 2.5, maintainer: 'D-ELEV' }],
    departments: [{ id: 'D-ELEV', name: 'Lift maintenance Co.', kind: 'elevator_maintenance' }],
    devices: [
      fire('B01-F12-S01', 'B01', 'B01-F12', 12, 'smoke'),
      fire('B01-F12-S02', 'B01', 'B01-F12', 12, 'smoke'),
      fire('B01-F12-H01', 'B01', 'B01-F12', 12, 'heat', 'A2'),
      fire('B01-F12-H02', 'B01', 'B01-F12', 12, 'heat'),
      fire('B01-F12-M01', 'B01', 'B01-F12', 12, 'multi'),
      fire('B01-F12-MCP', 'B01', 'B01-F12', 12, 'manual_call_point'),
      fire('B01-F13-S01', 'B01', 'B01-F13', 13, 'smoke'),
      fire('B01-Z1-S01', 'B01', 'Z1', 3, 'smoke'),
      fire('B02-Z1-S01', 'B02', 'Z1', 3, 'smoke'),
      { id: 'E1-C', kind: 'elevator', building: 'B01', elevator: 'E1' }
    ]
  })
  return createCommunityContext(community, pino({ level: 'silent' }))
}

/** The context of one device, typed by kind (throws if the fixture lacks it). */
export function deviceOf<K extends DeviceKind> (ctx: CommunityContext, id: string, kind: K): DeviceContext<K> {
  const dc = ctx.device(id)
  if (dc?.device.kind !== kind) throw new Error(`fixture has no ${kind} device ${id}`)
  return dc as unknown as DeviceContext<K>
}

/** A quiet fire report at `ts` with `fields` overriding it (seq follows the time). */
export function fireMsg (ts: number, fields: Partial<FireTelemetry> = {}): FireTelemetry {
  return { kind: 'fire', seq: Math.floor((ts - T0) / S), ts, smokeDbM: 0.01, temperatureC: 22, alarm: false, fault: false, tamper: false, batteryPct: 80, ...fields }
}

/** An idle lift at floor 1 (stopped, door closed, levelled, empty), with `fields` overriding it. */
export function liftMsg (ts: number, fields: Partial<ElevatorTelemetry> = {}): ElevatorTelemetry {
  return { kind: 'elevator', seq: Math.floor((ts - T0) / 100), ts, floor: 1, direction: 'stop', speedMps: 0, door: 'closed', inDoorZone: true, passenger: false, mode: 'normal', faultCodes: [], ...fields }
}

/**
 * What changed, in order: `+ruleId@s` when a rule's alert condition starts, `-ruleId@s` when it
 * clears (seconds after T0). Repeats of a holding rule and a rule's first "not holding" verdict
 * are not changes, so they do not appear.
 */
export function transitions (signals: readonly Signal[]): string[] {
  const state = new Map<string, boolean>()
  const out: string[] = []
  for (const s of signals) {
    const k = `${s.ruleId}|${s.subject}`
    if (s.active && state.get(k) !== true) out.push(`+${s.ruleId}@${(s.at - T0) / S}`)
    if (!s.active && state.get(k) === true) out.push(`-${s.ruleId}@${(s.at - T0) / S}`)
    state.set(k, s.active)
  }
  return out
}
