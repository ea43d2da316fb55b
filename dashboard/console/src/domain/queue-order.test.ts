import type { Incident } from '@gangwan/contracts'
import { describe, expect, it } from 'vitest'
import type { QueueIncident } from '../api/types.ts'
import { DEFAULT_FILTER, compareIncidents, isFullIncident, matchesFilter, orderQueue, upsertNewer } from './queue-order.ts'

let n = 0
function incident (p: Partial<Incident> = {}): Incident {
  n++
  return {
    id: `INC-${String(n).padStart(6, '0')}`, version: 1, status: 'dispatched', category: 'fire', severity: 'P2', title: 'Smoke',
    location: { grid: 'G01', building: 'B01', floor: 3 }, department: 'FCR-01', tier: 0, escalatedTo: [], mergeRule: 'none',
    mergeReason: 'new', alertCount: 1, devices: ['B01-F03-S01'], reworkCount: 0, createdAt: n, updatedAt: n, lastAlertAt: n, missed: [],
    ...p
  }
}

describe('compareIncidents', () => {
  it('puts severity first, then the nearest deadline, then those without one, then the oldest', () => {
    const p1late = incident({ severity: 'P1', deadline: { step: 'accept', dueAt: 9000, tier: 0 } })
    const p1soon = incident({ severity: 'P1', deadline: { step: 'accept', dueAt: 1000, tier: 0 } })
    const p2none = incident({ severity: 'P2', status: 'new', createdAt: 5 })
    const p2older = incident({ severity: 'P2', status: 'new', createdAt: 1 })
    const p2soon = incident({ severity: 'P2', deadline: { step: 'accept', dueAt: 500, tier: 0 } })
    const p4 = incident({ severity: 'P4', deadline: { step: 'accept', dueAt: 1, tier: 0 } })
    const sorted = [p4, p2none, p1late, p2older, p2soon, p1soon].sort(compareIncidents)
    expect(sorted.map((i) => i.id)).toEqual([p1soon, p1late, p2soon, p2older, p2none, p4].map((i) => i.id))
  })
})

describe('matchesFilter', () => {
  const i = incident({ category: 'elevator', status: 'accepted', severity: 'P1', location: { grid: 'G02', building: 'B07' }, department: 'EM-01', title: 'Trapped passenger', devices: ['EL-B07-1'] })
  it.each([
    ['the default (open statuses)', {}, true],
    ['its category', { categories: ['elevator'] }, true],
    ['another category', { categories: ['fire', 'noise'] }, false],
    ['a final status only', { statuses: ['closed'] }, false],
    ['no status limit', { statuses: [] }, true],
    ['its grid', { grids: ['G02'] }, true],
    ['another grid', { grids: ['G01'] }, false],
    ['its department', { departments: ['EM-01'] }, true],
    ['another department', { departments: ['FCR-01'] }, false],
    ['its severity', { severities: ['P1'] }, true],
    ['another severity', { severities: ['P3', 'P4'] }, false],
    ['words of the title and device', { text: 'trapped el-b07' }, true],
    ['a word it lacks', { text: 'smoke' }, false]
  ] as const)('%s → %s', (_, f, expected) => {
    expect(matchesFilter(i, { ...DEFAULT_FILTER, ...f } as typeof DEFAULT_FILTER)).toBe(expected)
  })

  it('an incident without a department fails a department filter', () => {
    const { department: _, ...rest } = incident()
    expect(matchesFilter(rest, { ...DEFAULT_FILTER, departments: ['FCR-01'] })).toBe(false)
  })

  it('orderQueue filters and sorts', () => {
    const closed = incident({ status: 'closed', severity: 'P1' })
    const open = incident({ severity: 'P3' })
    expect(orderQueue([closed, open], DEFAULT_FILTER).map((x) => x.id)).toEqual([open.id])
  })
})

describe('upsertNewer', () => {
  it('keeps the highest version, whichever arrives first', () => {
    const byId = new Map<string, Incident>()
    const v2 = incident({ version: 2, status: 'accepted' })
    const v1 = { ...v2, version: 1, status: 'dispatched' as const }
    expect(upsertNewer(byId, v2)).toBe(true)
    expect(upsertNewer(byId, v1)).toBe(false)
    expect(upsertNewer(byId, v2)).toBe(false)
    expect(byId.get(v2.id)?.status).toBe('accepted')
    expect(upsertNewer(byId, { ...v2, version: 3, status: 'handling' })).toBe(true)
    expect(byId.get(v2.id)?.status).toBe('handling')
  })

  it('takes the whole incident over the queue\'s projection of the same version, never the other way', () => {
    const byId = new Map<string, QueueIncident>()
    const whole = incident({ version: 4 })
    const { mergeRule: _r, mergeReason: _m, escalatedTo: _e, reworkCount: _w, lastAlertAt: _l, missed: _s, ...lean } = whole
    expect(isFullIncident(lean)).toBe(false)
    expect(upsertNewer(byId, lean)).toBe(true)
    expect(upsertNewer(byId, lean)).toBe(false)
    expect(upsertNewer(byId, whole)).toBe(true)
    expect(isFullIncident(byId.get(whole.id)!)).toBe(true)
    expect(upsertNewer(byId, lean)).toBe(false)
    expect(upsertNewer(byId, { ...lean, version: 5 })).toBe(true)
    expect(isFullIncident(byId.get(whole.id)!)).toBe(false)
  })
})
