import { describe, expect, test } from 'vitest'
import { DispatchSettingsSchema, type Alert, type MergeScope } from '@gangwan/contracts'
import { indexKeys, lookupKeys, scopeKey } from '../../src/domain/index.ts'
import { makeAlert } from './fixtures.ts'

const fire = makeAlert()
const camera = makeAlert({ subject: 'B03-CAM-N1/ev7', device: 'B03-CAM-N1', category: 'falling_object', location: { grid: 'G01', building: 'B03', facade: 'N', floorRange: { from: 8, to: 10, confidence: 0.7 } } })
const lift = makeAlert({ subject: 'B03-L1-C', device: 'B03-L1-C', category: 'elevator', location: { grid: 'G01', building: 'B03', elevator: 'L1', floor: 7 } })
const { device: _, ...zoneAlert } = makeAlert({ ruleId: 'fire.confirmed', subject: 'B03/Z12' })
const fume: Alert = makeAlert({ subject: 'R1-M', device: 'R1-M', category: 'fume', location: { grid: 'G02', building: 'B05', restaurant: 'R1' } })

describe('scopeKey', () => {
  test.each([
    ['device', fire, 'device:B03-F12-S01'],
    ['zone', fire, 'zone:B03/Z12'],
    ['floor', fire, 'floor:B03/12'],
    ['building', fire, 'building:B03'],
    ['facade', fire, undefined],
    ['elevator', fire, undefined],
    ['restaurant', fire, undefined],
    ['grid', fire, 'grid:G01'],
    ['facade', camera, 'facade:B03/N'],
    ['floor', camera, undefined],
    ['elevator', lift, 'elevator:L1'],
    ['floor', lift, 'floor:B03/7'],
    ['zone', lift, undefined],
    ['device', zoneAlert, undefined],
    ['restaurant', fume, 'restaurant:R1'],
    ['zone', { ...fire, location: { grid: 'G01', zone: 'Z12' } }, undefined]
  ] as const)('%s of %s', (scope: MergeScope, alert: Alert, key) => {
    expect(scopeKey(scope, alert)).toBe(key)
  })
})

describe('indexKeys and lookupKeys (default merge rules)', () => {
  const settings = DispatchSettingsSchema.parse({})
  const fireMode = makeAlert({ ruleId: 'elevator.fire_mode', subject: 'B03-L1-C', device: 'B03-L1-C', location: { grid: 'G01', building: 'B03', elevator: 'L1', floor: 1 } })
  test('an incident is indexed, by its category, under the scopes of the rules that may join it', () => {
    expect(indexKeys('fire', fire, settings)).toEqual(['fire|zone:B03/Z12', 'fire|floor:B03/12', 'fire|building:B03'])
    expect(indexKeys('falling_object', camera, settings)).toEqual(['falling_object|facade:B03/N'])
    expect(indexKeys('elevator', lift, settings)).toEqual(['elevator|elevator:L1'])
    expect(indexKeys('fume', fume, settings)).toEqual(['fume|restaurant:R1'])
  })
  test('an alert looks up only what the rules that apply to it may join', () => {
    expect(lookupKeys(fire, settings)).toEqual(['fire|zone:B03/Z12', 'fire|floor:B03/12'])
    expect(lookupKeys(fireMode, settings)).toEqual(['fire|floor:B03/1', 'fire|building:B03'])
    expect(lookupKeys(camera, settings)).toEqual(['falling_object|facade:B03/N'])
    expect(lookupKeys(lift, settings)).toEqual(['elevator|elevator:L1'])
    expect(lookupKeys(fire, DispatchSettingsSchema.parse({ merge: [] }))).toEqual([])
  })
})
