import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { communityView, CommunityViewSchema } from '../src/index.ts'
import { startHarness, type Harness, type UserKey } from './support/harness.ts'
import { openWorkflow, type Workflow } from './support/workflow.ts'

// The console's routes at the dashboard's boundary: access, validation and the answer of a server
// built without the hub's parts. The routes over the real implementations (InfluxDB, the broker's
// registry, dispatch) are tested through a running hub in hub/test/console-api.test.ts.

const DAY = 86_400_000
let wf: Workflow
let bare: Harness
let withCommunity: Harness
beforeAll(async () => {
  wf = await openWorkflow()
  bare = await startHarness(wf.dispatch)
  withCommunity = await startHarness(wf.dispatch, {}, { community: wf.community })
})
afterAll(async () => {
  await bare.close()
  await withCommunity.close()
  await wf.close()
})

const READS = ['/community', '/devices', '/devices/summary', '/telemetry?device=B01-F12-S01']

describe('a dashboard without the hub\'s parts', () => {
  for (const path of READS) {
    it(`GET ${path} answers 501 GW_ERR_API_NOT_FOUND`, async () => {
      const res = await bare.api(path, { token: await bare.login('viewer') })
      expect(res.status).toBe(501)
      expect(await res.json()).toMatchObject({ code: 'GW_ERR_API_NOT_FOUND', message: expect.stringMatching(/not available on this server/) })
    })
  }
  it('POST /devices/:id/credentials by an admin answers 501 GW_ERR_API_NOT_FOUND', async () => {
    const res = await bare.api('/devices/GW-B01/credentials', { method: 'POST', token: await bare.login('admin') })
    expect(res.status).toBe(501)
    expect(await res.json()).toMatchObject({ code: 'GW_ERR_API_NOT_FOUND' })
  })
})

describe('who may call the console routes', () => {
  for (const path of [...READS, '/devices/GW-B01/credentials']) {
    it(`${path} without credentials: 401 GW_ERR_API_UNAUTHENTICATED`, async () => {
      const res = await bare.api(path, { method: path.endsWith('/credentials') ? 'POST' : 'GET' })
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ code: 'GW_ERR_API_UNAUTHENTICATED' })
    })
  }
  for (const user of ['viewer', 'handler', 'operator', 'dispatcher'] as const satisfies UserKey[]) {
    it(`every role reads (${user}); issuing credentials is the admin's only: 403 GW_ERR_API_FORBIDDEN`, async () => {
      const token = await withCommunity.login(user)
      expect((await withCommunity.api('/community', { token })).status).toBe(200)
      const res = await withCommunity.api('/devices/GW-B01/credentials', { method: 'POST', token })
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({ code: 'GW_ERR_API_FORBIDDEN' })
    })
  }
})

describe('query validation (accepted: reaches the absent part, 501; rejected: 400 GW_ERR_API_BAD_REQUEST)', () => {
  const now = Date.UTC(2026, 10, 23, 1, 0, 0)
  const table: Array<[string, 400 | 501]> = [
    ['/devices', 501],
    ['/devices?building=B01&kind=fire&status=offline&limit=1000&offset=20', 501],
    ['/devices?limit=1', 501],
    ['/devices?limit=0', 400],
    ['/devices?limit=1001', 400],
    ['/devices?offset=-1', 400],
    ['/devices?kind=toaster', 400],
    ['/devices?status=sleeping', 400],
    ['/devices?building=B%2001', 400],
    ['/devices?colour=red', 400],
    ['/telemetry?device=B01-F12-S01', 501],
    [`/telemetry?device=B01-F12-S01&from=${now - 7 * DAY}&to=${now}`, 501],
    [`/telemetry?device=B01-F12-S01&from=${now}&to=${now}`, 501],
    [`/telemetry?device=B01-F12-S01&from=${now - 7 * DAY - 1}&to=${now}`, 400],
    [`/telemetry?device=B01-F12-S01&from=${now + 1}&to=${now}`, 400],
    ['/telemetry', 400],
    ['/telemetry?device=a%27b', 400],
    ['/telemetry?device=B01-F12-S01&from=yesterday', 400],
    ['/telemetry?device=B01-F12-S01&limit=5', 400]
  ]
  for (const [path, status] of table) {
    it(`${path} → ${status}`, async () => {
      const res = await bare.api(path, { token: await bare.login('operator') })
      expect(res.status).toBe(status)
      expect(await res.json()).toMatchObject({ code: status === 400 ? 'GW_ERR_API_BAD_REQUEST' : 'GW_ERR_API_NOT_FOUND' })
    })
  }
  it('a credentials id that is not an id → 400', async () => {
    const res = await bare.api('/devices/a.b/credentials', { method: 'POST', token: await bare.login('admin') })
    expect(res.status).toBe(400)
  })
})

describe('GET /community', () => {
  it('is the schematic\'s data: grids, buildings with floors, plan position, footprint and façades, departments with handlers, restaurants, elevators', async () => {
    const res = await withCommunity.api('/community', { token: await withCommunity.login('handler') })
    expect(res.status).toBe(200)
    const body = await res.json() as Record<string, unknown>
    const view = CommunityViewSchema.parse(body)
    expect(view).toEqual(communityView(wf.community))
    expect(Object.keys(body).toSorted()).toEqual(['buildings', 'departments', 'elevators', 'grids', 'id', 'name', 'restaurants', 'timezone'])
    expect(view.buildings).toHaveLength(wf.community.buildings.length)
    const b = wf.community.buildings[0]!
    expect(view.buildings[0]).toEqual({
      id: b.id, name: b.name, grid: b.grid, floors: b.floors, basementFloors: b.basementFloors, floorHeightM: b.floorHeightM,
      ...(b.floorHeightsM === undefined ? {} : { floorHeightsM: b.floorHeightsM }),
      facades: b.facades, position: b.position, footprint: b.footprint
    })
    expect(view.departments.find((d) => d.id === 'FCR-01')?.handlers).toContainEqual({ id: 'FCR-01-H1', name: expect.any(String) })
    expect(view.restaurants).toHaveLength(wf.community.restaurants.length)
    expect(view.elevators).toHaveLength(wf.community.elevators.length)
    // The device inventory and gateways are not part of it (that is /devices).
    expect(JSON.stringify(body)).not.toContain(wf.community.devices[0]!.id)
  })
})
