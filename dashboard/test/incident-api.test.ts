import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Incident, IncidentAction, IncidentActionType, IncidentStatus } from '@gangwan/contracts'
import { ROLE_PERMISSIONS, type Role } from '../src/index.ts'
import { IncidentListResponseSchema, QueueIncidentSchema } from '../src/api-schemas.ts'
import { queueIncident } from '../src/queue-incident.ts'
import { sampledListSerializer } from '../src/routes/sampled-list-serializer.ts'
import { startHarness, type Harness, type UserKey } from './support/harness.ts'
import { openWorkflow, type Workflow } from './support/workflow.ts'

let wf: Workflow
let h: Harness
beforeAll(async () => {
  wf = await openWorkflow()
  h = await startHarness(wf.dispatch)
})
afterAll(async () => {
  await h.close()
  await wf.close()
})

/** Each action with valid arguments and the status it is taken in. */
const ACTIONS: Record<IncidentActionType, { body: IncidentAction; from: IncidentStatus }> = {
  dispatch: { body: { type: 'dispatch', department: 'FCR-01' }, from: 'dispatched' },
  escalate: { body: { type: 'escalate', reason: 'the control room does not answer' }, from: 'dispatched' },
  accept: { body: { type: 'accept' }, from: 'dispatched' },
  arrive: { body: { type: 'arrive' }, from: 'accepted' },
  resolve: { body: { type: 'resolve', note: 'cleaned the detector' }, from: 'handling' },
  verify: { body: { type: 'verify' }, from: 'resolved' },
  reject: { body: { type: 'reject', reason: 'still smoky' }, from: 'resolved' },
  close: { body: { type: 'close', satisfied: true }, from: 'verified' },
  false_alarm: { body: { type: 'false_alarm', reason: 'cooking steam' }, from: 'dispatched' },
  reopen: { body: { type: 'reopen', reason: 'smoke again' }, from: 'false_alarm' }
}

/** The role matrix, written out independently of ROLE_PERMISSIONS: Y may, - may not. */
const MATRIX: Record<Exclude<UserKey, 'otherHandler'>, string> = {
  //            dispatch escalate accept arrive resolve verify reject close false_alarm reopen
  viewer: '    -        -        -      -      -       -      -      -     -           -',
  handler: '   -        -        Y      Y      Y       -      -      -     Y           -',
  operator: '  -        Y        Y      Y      Y       Y      Y      Y     Y           -',
  dispatcher: 'Y        Y        Y      Y      Y       Y      Y      Y     Y           Y',
  admin: '     Y        Y        Y      Y      Y       Y      Y      Y     Y           Y'
}
const ORDER: IncidentActionType[] = ['dispatch', 'escalate', 'accept', 'arrive', 'resolve', 'verify', 'reject', 'close', 'false_alarm', 'reopen']
const allowed = (who: keyof typeof MATRIX, a: IncidentActionType): boolean => MATRIX[who].trim().split(/\s+/)[ORDER.indexOf(a)] === 'Y'

const act = async (token: string, id: string, body: unknown, headers: Record<string, string> = {}, query = ''): Promise<Response> =>
  await h.api(`/incidents/${id}/actions${query}`, { token, body, headers })

describe('roles and actions', () => {
  it('the permissions table says what the matrix says', () => {
    for (const who of Object.keys(MATRIX) as Array<keyof typeof MATRIX>) {
      expect(ROLE_PERMISSIONS[who as Role].actions.toSorted()).toEqual(ORDER.filter((a) => allowed(who, a)).toSorted())
    }
  })

  for (const who of Object.keys(MATRIX) as Array<keyof typeof MATRIX>) {
    for (const action of ORDER) {
      const may = allowed(who, action)
      it(`${who} ${may ? 'may' : 'may not'} ${action} (an FCR-01 incident in ${ACTIONS[action].from})`, async () => {
        const incident = await wf.bring(await wf.raise('G01'), ACTIONS[action].from)
        expect(incident.department).toBe('FCR-01')
        const res = await act(await h.login(who), incident.id, ACTIONS[action].body, { 'if-match': String(incident.version) })
        const body = await res.json() as { incident: Incident; code?: string }
        if (may) {
          expect(res.status, JSON.stringify(body)).toBe(200)
          expect(body.incident.version).toBe(incident.version + 1)
          expect(res.headers.get('etag')).toBe(`"${incident.version + 1}"`)
          const last = (await wf.dispatch.timeline(incident.id)).at(-1)
          expect(last).toMatchObject({ event: action === 'escalate' ? 'escalated' : action, actor: { type: 'user', id: (await meId(who)), role: who } })
        } else {
          expect(res.status).toBe(403)
          expect(body).toEqual({ code: 'GW_ERR_API_FORBIDDEN', message: expect.any(String) })
          expect((await wf.dispatch.get(incident.id))?.version).toBe(incident.version)
        }
      })
    }
  }

  it('an API token acts as its role, recorded as a token actor', async () => {
    const created = await h.api('/tokens', { token: await h.login('admin'), body: { name: 'bms', role: 'operator' } })
    const { id, token } = await created.json() as { id: string; token: string }
    const incident = await wf.raise('G01')
    const res = await act(token, incident.id, { type: 'accept' })
    expect(res.status).toBe(200)
    expect((await wf.dispatch.timeline(incident.id)).at(-1)).toMatchObject({ event: 'accept', actor: { type: 'token', id, role: 'operator' } })
    expect((await act(token, incident.id, { type: 'reopen', reason: 'x' })).status).toBe(403)
  })
})

async function meId (who: UserKey): Promise<string> {
  const me = await (await h.api('/auth/me', { token: await h.login(who) })).json() as { principal: { id: string } }
  return me.principal.id
}

describe('a handler works for their own department only', () => {
  let mine: Incident
  let theirs: Incident
  beforeAll(async () => {
    mine = await wf.raise('G02')
    theirs = await wf.raise('G04')
  })

  it('the incidents are routed to FCR-01 and FCR-02', () => {
    expect([mine.department, theirs.department]).toEqual(['FCR-01', 'FCR-02'])
  })

  it('acting on, or reading, another department\'s incident is 403', async () => {
    const token = await h.login('handler')
    const res = await act(token, theirs.id, { type: 'accept' })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ code: 'GW_ERR_API_FORBIDDEN' })
    expect((await h.api(`/incidents/${theirs.id}`, { token })).status).toBe(403)
    expect((await h.api(`/incidents/${mine.id}`, { token })).status).toBe(200)
  })

  it('the list holds only their department\'s incidents, whatever department filter they ask for', async () => {
    const token = await h.login('handler')
    const all = await (await h.api('/incidents?limit=1000', { token: await h.login('operator') })).json() as { items: Incident[]; total: number }
    const own = await (await h.api('/incidents?limit=1000', { token })).json() as { items: Incident[]; total: number }
    expect(own.items.length).toBeGreaterThan(0)
    expect(own.items.every((i) => i.department === 'FCR-01')).toBe(true)
    expect(own.total).toBe(all.items.filter((i) => i.department === 'FCR-01').length)
    expect(all.items.some((i) => i.department === 'FCR-02')).toBe(true)
    expect(await (await h.api('/incidents?department=FCR-02', { token })).json()).toEqual({ items: [], total: 0 })
    const both = await (await h.api('/incidents?department=FCR-01,FCR-02&limit=1000', { token })).json() as { total: number }
    expect(both.total).toBe(own.total)
  })

  it('a handler may not accept in another handler\'s name', async () => {
    const incident = await wf.raise('G01')
    const res = await act(await h.login('handler'), incident.id, { type: 'accept', handler: 'FCR-01-H2' })
    expect(res.status).toBe(403)
    expect((await act(await h.login('handler'), incident.id, { type: 'accept', handler: 'FCR-01-H1' })).status).toBe(200)
  })

  it('metrics: their department\'s by default, another department\'s is 403', async () => {
    const token = await h.login('handler')
    const res = await h.api('/metrics/incidents?groupBy=department', { token })
    expect(res.status).toBe(200)
    const report = await res.json() as { groups: Array<{ key: string }> }
    expect(report.groups.map((g) => g.key)).toEqual(['FCR-01'])
    expect((await h.api('/metrics/incidents?department=FCR-02', { token })).status).toBe(403)
  })
})

describe('reading incidents', () => {
  it('lists with filters, sort and paging', async () => {
    const token = await h.login('viewer')
    const a = await wf.raise('G05')
    const b = await wf.bring(await wf.raise('G05'), 'accepted')
    const byGrid = await (await h.api('/incidents?grid=G05&sort=createdAt&order=asc', { token })).json() as { items: Incident[]; total: number }
    expect(byGrid.items.map((i) => i.id)).toEqual([a.id, b.id])
    const accepted = await (await h.api('/incidents?grid=G05&status=accepted', { token })).json() as { items: Incident[] }
    expect(accepted.items.map((i) => i.id)).toEqual([b.id])
    const statuses = await (await h.api('/incidents?grid=G05&status=accepted,dispatched&limit=1&offset=1&sort=createdAt&order=desc', { token })).json() as { items: Incident[]; total: number }
    expect(statuses.total).toBe(2)
    expect(statuses.items.map((i) => i.id)).toEqual([a.id])
    const repeated = await (await h.api('/incidents?grid=G05&status=accepted&status=dispatched', { token })).json() as { total: number }
    expect(repeated.total).toBe(2)
    const closedOnes = await (await h.api('/incidents?grid=G05&open=false', { token })).json() as { total: number }
    expect(closedOnes.total).toBe(0)
  })

  it('lists in queue order (severity, then deadline with none last), and view=queue leaves out what the queue does not show', async () => {
    const token = await h.login('viewer')
    const a = await wf.raise('G06')
    const b = await wf.bring(await wf.raise('G06'), 'resolved')
    const c = await wf.bring(await wf.raise('G06'), 'accepted')
    const full = await (await h.api('/incidents?grid=G06&open=true&sort=queue', { token })).json() as { items: Incident[]; total: number }
    const due = (i: Incident): number => i.deadline?.dueAt ?? Number.POSITIVE_INFINITY
    const expected = [a, b, c].map((i) => full.items.find((f) => f.id === i.id)!)
      .sort((x, y) => x.severity.localeCompare(y.severity) || due(x) - due(y) || x.createdAt - y.createdAt)
    expect(full.items.map((i) => i.id)).toEqual(expected.map((i) => i.id))
    expect(full.items.at(-1)!.id).toBe(b.id)
    const lean = await h.api('/incidents?grid=G06&open=true&sort=queue&view=queue', { token })
    const body = await lean.json() as { items: unknown[]; total: number }
    expect(body.total).toBe(3)
    expect(body.items).toEqual(full.items.map(queueIncident))
    for (const item of body.items) {
      expect(QueueIncidentSchema.parse(item)).toEqual(item)
      expect(item).not.toHaveProperty('mergeReason')
    }
    const bytes = async (q: string): Promise<number> => (await (await h.api(`/incidents?grid=G06&${q}`, { token })).arrayBuffer()).byteLength
    expect(await bytes('view=queue')).toBeLessThan(0.8 * await bytes('view=full'))
  })

  it('checks a sample of a list answer against its schema, and refuses one that does not match', () => {
    const write = sampledListSerializer({ schema: IncidentListResponseSchema, method: 'GET', url: '/incidents', httpStatus: '200' })
    expect(write({ items: [], total: 0 })).toBe('{"items":[],"total":0}')
    expect(() => write({ items: [{ id: 'INC-000001' }], total: 1 })).toThrow(expect.objectContaining({ code: 'FST_ERR_RESPONSE_SERIALIZATION' }))
    expect(() => write({ items: [], total: 'many' })).toThrow(expect.objectContaining({ code: 'FST_ERR_RESPONSE_SERIALIZATION' }))
  })

  const ALLOWED: Array<[IncidentStatus, Exclude<UserKey, 'otherHandler'>, string[]]> = [
    ['dispatched', 'handler', ['accept', 'false_alarm']],
    ['dispatched', 'dispatcher', ['dispatch', 'escalate', 'accept', 'false_alarm']],
    ['dispatched', 'viewer', []],
    ['resolved', 'operator', ['verify', 'reject', 'false_alarm']],
    ['resolved', 'handler', ['false_alarm']],
    ['closed', 'operator', []],
    ['closed', 'admin', ['reopen']]
  ]
  for (const [status, who, actions] of ALLOWED) {
    it(`allowedActions of a ${status} incident for the ${who}: ${actions.join(', ') || 'none'}`, async () => {
      const incident = await wf.bring(await wf.raise('G01'), status)
      const body = await (await h.api(`/incidents/${incident.id}`, { token: await h.login(who) })).json() as { allowedActions: string[] }
      expect(body.allowedActions).toEqual(actions)
    })
  }

  const BAD_QUERIES = ['limit=0', 'limit=1001', 'offset=-1', 'status=burning', 'category=fire,flood', 'sort=name', 'order=up', 'open=yes', 'createdFrom=yesterday', 'unknown=1', 'view=tiny', 'sort=queues']
  for (const q of BAD_QUERIES) {
    it(`GET /incidents?${q} is 400 GW_ERR_API_BAD_REQUEST`, async () => {
      const res = await h.api(`/incidents?${q}`, { token: await h.login('viewer') })
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ code: 'GW_ERR_API_BAD_REQUEST', message: expect.any(String) })
    })
  }

  it('one incident comes with its timeline, its alerts and an ETag of its version; an unknown one is 404', async () => {
    const incident = await wf.bring(await wf.raise('G01'), 'accepted')
    const res = await h.api(`/incidents/${incident.id}`, { token: await h.login('operator') })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe(`"${incident.version}"`)
    const body = await res.json() as { incident: Incident; allowedActions: string[]; timeline: Array<{ event: string }>; alerts: Array<{ alert: { ruleId: string } }> }
    expect(body.incident).toEqual(incident)
    expect(body.timeline.map((e) => e.event)).toEqual(['created', 'dispatch', 'accept'])
    expect(body.alerts.map((l) => l.alert.ruleId)).toEqual(['fire.smoke'])
    expect(body.allowedActions).toEqual(['escalate', 'arrive', 'false_alarm'])
    const missing = await h.api('/incidents/INC-999999', { token: await h.login('operator') })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ code: 'GW_ERR_DISPATCH_NOT_FOUND' })
  })

  it('metrics come from dispatch, filtered and grouped by the query; a bad query is 400', async () => {
    const token = await h.login('viewer')
    const res = await h.api('/metrics/incidents?groupBy=grid&grid=G05', { token })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(await wf.dispatch.metrics({ groupBy: 'grid', grid: 'G05' }))
    for (const q of ['groupBy=color', 'period=year', 'from=x']) {
      expect((await h.api(`/metrics/incidents?${q}`, { token })).status, q).toBe(400)
    }
  })
})

describe('action errors', () => {
  const CASES: Array<{ what: string; status: IncidentStatus; body: unknown; expect: [number, string] }> = [
    { what: 'accept a closed incident', status: 'closed', body: { type: 'accept' }, expect: [409, 'GW_ERR_DISPATCH_INVALID_TRANSITION'] },
    { what: 'verify before resolve', status: 'handling', body: { type: 'verify' }, expect: [409, 'GW_ERR_DISPATCH_INVALID_TRANSITION'] },
    { what: 'dispatch to an unknown department', status: 'dispatched', body: { type: 'dispatch', department: 'NOPE' }, expect: [400, 'GW_ERR_DISPATCH_INVALID_ACTION'] },
    { what: 'resolve without a note', status: 'handling', body: { type: 'resolve' }, expect: [400, 'GW_ERR_API_BAD_REQUEST'] },
    { what: 'an unknown action', status: 'dispatched', body: { type: 'extinguish' }, expect: [400, 'GW_ERR_API_BAD_REQUEST'] },
    { what: 'an extra field', status: 'dispatched', body: { type: 'accept', urgent: true }, expect: [400, 'GW_ERR_API_BAD_REQUEST'] },
    { what: 'no body', status: 'dispatched', body: undefined, expect: [400, 'GW_ERR_API_BAD_REQUEST'] }
  ]
  for (const c of CASES) {
    it(`${c.what}: ${c.expect[0]} ${c.expect[1]}, nothing changes`, async () => {
      const incident = await wf.bring(await wf.raise('G01'), c.status)
      const res = await h.api(`/incidents/${incident.id}/actions`, { method: 'POST', token: await h.login('admin'), ...(c.body !== undefined ? { body: c.body } : {}) })
      expect(res.status).toBe(c.expect[0])
      expect(await res.json()).toEqual({ code: c.expect[1], message: expect.any(String) })
      expect((await wf.dispatch.get(incident.id))?.version).toBe(incident.version)
    })
  }

  it('an unknown incident: 404 GW_ERR_DISPATCH_NOT_FOUND', async () => {
    const res = await act(await h.login('admin'), 'INC-424242', { type: 'accept' })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ code: 'GW_ERR_DISPATCH_NOT_FOUND' })
  })

  it('a stale If-Match or ?version is 409 GW_ERR_DISPATCH_STALE; If-Match and ?version that differ are 400', async () => {
    const incident = await wf.raise('G01')
    const token = await h.login('operator')
    for (const [headers, query] of [[{ 'if-match': String(incident.version - 1 || 99) }, ''], [{ 'if-match': `W/"${incident.version + 5}"` }, ''], [{}, `?version=${incident.version + 1}`]] as const) {
      const res = await act(token, incident.id, { type: 'accept' }, headers, query)
      expect(res.status).toBe(409)
      expect(await res.json()).toMatchObject({ code: 'GW_ERR_DISPATCH_STALE' })
    }
    const both = await act(token, incident.id, { type: 'accept' }, { 'if-match': String(incident.version) }, `?version=${incident.version + 1}`)
    expect(both.status).toBe(400)
    expect((await act(token, incident.id, { type: 'accept' }, { 'if-match': 'abc' })).status).toBe(400)
    expect((await act(token, incident.id, { type: 'accept' }, { 'if-match': `"${incident.version}"` })).status).toBe(200)
  })

  it('two concurrent actions with the same If-Match: exactly one 200 and one 409 STALE', async () => {
    for (let round = 0; round < 5; round++) {
      const incident = await wf.raise('G01')
      const [op, disp] = [await h.login('operator'), await h.login('dispatcher')]
      const headers = { 'if-match': String(incident.version) }
      const results = await Promise.all([
        act(op, incident.id, { type: 'accept' }, headers),
        act(disp, incident.id, { type: 'false_alarm', reason: 'steam' }, headers)
      ])
      const statuses = results.map((r) => r.status).toSorted()
      expect(statuses).toEqual([200, 409])
      const loser = results.find((r) => r.status === 409)!
      expect(await loser.json()).toMatchObject({ code: 'GW_ERR_DISPATCH_STALE' })
      expect((await wf.dispatch.get(incident.id))?.version).toBe(incident.version + 1)
    }
  })
})
