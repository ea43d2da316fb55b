import { describe, expect, it } from 'vitest'
import {
  normalizeCommunity, normalizeCredentials, normalizeDeviceList, normalizeDeviceSummary, normalizeTelemetry, toEpochMs
} from './normalize.ts'

describe('normalizeCommunity', () => {
  const c = { id: 'hgy', name: '花果园', grids: [{ id: 'G01' }], buildings: [{ id: 'B01' }], departments: [] }
  it('takes the community bare or wrapped, lists defaulting to empty', () => {
    expect(normalizeCommunity(c)).toMatchObject({ id: 'hgy', buildings: [{ id: 'B01' }], restaurants: [], gateways: [] })
    expect(normalizeCommunity({ community: c })?.name).toBe('花果园')
  })
  it.each([[null], ['x'], [{ id: 'a' }], [[]]])('refuses %j', (body) => {
    expect(normalizeCommunity(body)).toBeUndefined()
  })
})

describe('normalizeDeviceList', () => {
  it('reads the documented rows and drops what is not a device', () => {
    const body = {
      total: 3,
      items: [
        { id: 'B01-F01-S01', kind: 'fire', building: 'B01', floor: 1, gateway: 'GW-B01', status: 'online', lastSeenAt: 1_763_800_000_000, batteryPct: 80, falseAlarms: 2 },
        { id: 'N-01', kind: 'noise', building: 'B02', status: 'weird', falseAlarms: 0 },
        { kind: 'fire' }
      ]
    }
    const l = normalizeDeviceList(body)
    expect(l.total).toBe(3)
    expect(l.items).toEqual([
      { id: 'B01-F01-S01', kind: 'fire', building: 'B01', floor: 1, gateway: 'GW-B01', status: 'online', lastSeenAt: 1_763_800_000_000, batteryPct: 80, falseAlarms: 2 },
      { id: 'N-01', kind: 'noise', building: 'B02', status: 'unknown', falseAlarms: 0 }
    ])
  })
  it('takes a bare list and counts it', () => {
    expect(normalizeDeviceList([{ id: 'a', kind: 'fume', status: 'offline', falseAlarms: 1 }]).total).toBe(1)
  })
})

describe('normalizeDeviceSummary', () => {
  const expected = [{ building: 'B01', online: 3, offline: 1, unknown: 0 }, { building: 'B02', online: 0, offline: 0, unknown: 2 }]
  it('reads the record keyed by building (the API) and a list of rows alike', () => {
    expect(normalizeDeviceSummary({ B01: { online: 3, offline: 1, unknown: 0 }, B02: { online: 0, offline: 0, unknown: 2 } })).toEqual(expected)
    expect(normalizeDeviceSummary({ items: expected })).toEqual(expected)
  })
})

describe('normalizeCredentials', () => {
  it('keeps every field and marks the secret', () => {
    expect(normalizeCredentials('GW-B01', { id: 'GW-B01', secret: 'abc' })).toEqual({ id: 'GW-B01', fields: [['id', 'GW-B01'], ['secret', 'abc']], secretField: 'secret' })
  })
})

describe('normalizeTelemetry', () => {
  it('turns `{ points: [{ ts, fields }] }` into one series per numeric field', () => {
    const body = { device: 'D1', kind: 'fire', points: [
      { ts: 2000, fields: { smokeDbM: 0.2, alarm: true, seq: 8, state: 'ok' } },
      { ts: 1000, fields: { smokeDbM: 0.1, alarm: false, seq: 7, state: 'ok' } }
    ] }
    expect(normalizeTelemetry('D1', body)).toEqual([
      { device: 'D1', field: 'smokeDbM', points: [[1000, 0.1], [2000, 0.2]] },
      { device: 'D1', field: 'alarm', points: [[1000, 0], [2000, 1]] }
    ])
  })
  it('reads flat points with ISO times and series of pairs', () => {
    expect(normalizeTelemetry('D', [{ time: '2026-11-23T01:00:00Z', laeqDb: 55 }])).toEqual([
      { device: 'D', field: 'laeqDb', points: [[Date.UTC(2026, 10, 23, 1), 55]] }
    ])
    expect(normalizeTelemetry('D', { series: [{ field: 'x', points: [[5000, 1]] }] })).toEqual([{ device: 'D', field: 'x', points: [[5000, 1]] }])
  })
  it('reads times as epoch ms or ISO text', () => {
    expect(toEpochMs(1_763_800_000_000)).toBe(1_763_800_000_000)
    expect(toEpochMs('2026-11-23T01:00:00.000Z')).toBe(Date.UTC(2026, 10, 23, 1))
    expect(toEpochMs('nope')).toBeUndefined()
    expect(toEpochMs(Number.NaN)).toBeUndefined()
  })
})
