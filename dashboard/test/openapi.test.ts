import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDashboard, createSqliteAuthStore, type AuthStore, type Dashboard } from '../src/index.ts'
import { openWorkflow, type Workflow } from './support/workflow.ts'
import pino from 'pino'

let wf: Workflow
let auth: AuthStore
let dashboard: Dashboard
let url: string
const routes: Array<{ method: string; path: string }> = []
beforeAll(async () => {
  wf = await openWorkflow()
  auth = createSqliteAuthStore({ path: ':memory:' })
  dashboard = createDashboard({ port: 0 }, { dispatch: wf.dispatch, auth, log: pino({ level: 'silent' }) })
  dashboard.app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m.toLowerCase(), path: r.url })
  })
  url = (await dashboard.start()).url
})
afterAll(async () => {
  await dashboard.stop()
  await auth.close()
  await wf.close()
})

interface OpenApi {
  openapi: string
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown>; parameters?: Array<{ name: string; in: string }>; requestBody?: unknown }>>
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }
}

describe('OpenAPI document', () => {
  let doc: OpenApi
  beforeAll(async () => {
    const res = await fetch(`${url}/api/v1/openapi.json`)
    expect(res.status).toBe(200)
    doc = await res.json() as OpenApi
  })

  it('is OpenAPI 3.1 with bearer and cookie security schemes and the named schemas', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.components.securitySchemes).toSorted()).toEqual(['bearerAuth', 'cookieAuth'])
    for (const name of ['Incident', 'QueueIncident', 'IncidentAction', 'AuditEntry', 'LinkedAlert', 'User', 'ApiToken', 'Error', 'DeviceStatus', 'TelemetrySeries', 'Community']) expect(doc.components.schemas, name).toHaveProperty(name)
  })

  it('lists every route the server has, with its method', () => {
    const expected = [
      'post /api/v1/auth/login', 'post /api/v1/auth/logout', 'get /api/v1/auth/me',
      'get /api/v1/incidents', 'get /api/v1/incidents/{id}', 'post /api/v1/incidents/{id}/actions',
      'get /api/v1/metrics/incidents', 'get /api/v1/stream',
      'post /api/v1/users', 'get /api/v1/users', 'post /api/v1/tokens', 'get /api/v1/tokens', 'delete /api/v1/tokens/{id}',
      'get /api/v1/community', 'get /api/v1/devices', 'get /api/v1/devices/summary', 'post /api/v1/devices/{id}/credentials',
      'get /api/v1/telemetry',
      'post /api/v1/gateways/{gatewayId}/commands', 'get /api/v1/gateways/{gatewayId}/commands', 'get /api/v1/commands/{id}',
      'get /api/v1/healthz', 'get /api/v1/openapi.json'
    ]
    const registered = routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    // `/*` is the operator console's static files (undocumented: not part of the API).
    expect(registered.toSorted()).toEqual([...expected, 'get /*'].toSorted())
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
    expect(documented.toSorted()).toEqual(expected.toSorted())
  })

  it('documents the action: its body, If-Match, version, and the error answers', () => {
    const op = doc.paths['/api/v1/incidents/{id}/actions']!.post!
    expect(op.requestBody).toBeDefined()
    expect(op.parameters!.map((p) => `${p.in}:${p.name}`).toSorted()).toEqual(['header:if-match', 'path:id', 'query:version'])
    expect(Object.keys(op.responses).toSorted()).toEqual(['200', '400', '401', '403', '404', '409'])
    expect(op.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }])
    expect(doc.paths['/api/v1/incidents']!.get!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['status', 'open', 'category', 'severity', 'grid', 'department', 'handler', 'building', 'createdFrom', 'createdTo', 'sort', 'order', 'limit', 'offset', 'view']))
  })

  it('every $ref points at a schema the document has', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\//)
      expect(doc.components.schemas, ref).toHaveProperty(ref.replace('#/components/schemas/', ''))
    }
  })

  it('/healthz answers without credentials', async () => {
    const res = await fetch(`${url}/api/v1/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })
})
