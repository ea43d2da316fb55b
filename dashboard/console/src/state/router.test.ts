import { describe, expect, it } from 'vitest'
import { href, parseRoute, type Route } from './router.ts'

describe('parseRoute', () => {
  it.each([
    ['', { page: 'queue' }],
    ['#/queue', { page: 'queue' }],
    ['#/incidents/INC-000001', { page: 'incident', id: 'INC-000001' }],
    ['/incidents/INC-000001', { page: 'incident', id: 'INC-000001' }],
    ['#/incidents', { page: 'queue' }],
    ['#/map', { page: 'map' }],
    ['/map?building=B03', { page: 'map', building: 'B03' }],
    ['#/devices', { page: 'devices' }],
    ['#/stats', { page: 'stats' }],
    ['#/nowhere', { page: 'queue' }]
  ] as Array<[string, Route]>)('%s', (text, route) => {
    expect(parseRoute(text)).toEqual(route)
  })

  it('reads back what href writes', () => {
    const routes: Route[] = [{ page: 'incident', id: 'INC 1/2' }, { page: 'map', building: 'B03' }, { page: 'stats' }]
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r)
  })
})
