import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONSOLE_NOT_BUILT, createDashboard, createSqliteAuthStore, type AuthStore, type Dashboard } from '../src/index.ts'
import { openWorkflow, type Workflow } from './support/workflow.ts'

const INDEX = '<!doctype html><title>港湾</title><div id="root"></div><script type="module" src="/assets/x.js"></script>'
const ASSET = 'console.log("console")'
const PAGE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }

let dir: string
let wf: Workflow
let auth: AuthStore
const dashboards: Dashboard[] = []

/** A dashboard serving `consoleDir`, with a `/healthz` added the way the hub adds its ops routes. */
async function serve (consoleDir: string): Promise<string> {
  const d = createDashboard({ port: 0, consoleDir }, { dispatch: wf.dispatch, auth, log: pino({ level: 'silent' }) })
  d.app.get('/healthz', async () => ({ ok: true, from: 'ops' }))
  dashboards.push(d)
  return (await d.start()).url
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gangwan-console-'))
  await mkdir(join(dir, 'dist/assets'), { recursive: true })
  await writeFile(join(dir, 'dist/index.html'), INDEX)
  await writeFile(join(dir, 'dist/assets/x.js'), ASSET)
  await writeFile(join(dir, 'dist/.env'), 'SECRET=1')
  wf = await openWorkflow()
  auth = createSqliteAuthStore({ path: ':memory:' })
})
afterAll(async () => {
  for (const d of dashboards) await d.stop()
  await auth.close()
  await wf.close()
  await rm(dir, { recursive: true, force: true })
})

describe('the operator console is served at / by the dashboard', () => {
  let url: string
  beforeAll(async () => { url = await serve(join(dir, 'dist')) })

  it('answers / and client-side routes (/queue, /incidents/INC-1) with index.html, revalidated on every load', async () => {
    for (const path of ['/', '/queue', '/incidents/INC-1', '/devices?building=B01']) {
      const res = await fetch(`${url}${path}`, { headers: PAGE })
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/)
      expect(res.headers.get('cache-control'), path).toBe('no-cache')
      expect(await res.text(), path).toBe(INDEX)
    }
  })

  it('serves the build\'s assets, cacheable for good (their names carry a content hash)', async () => {
    const res = await fetch(`${url}/assets/x.js`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/javascript/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await res.text()).toBe(ASSET)
  })

  it('a missing asset, an unknown API route or a dot file is a JSON 404, never index.html', async () => {
    for (const [path, headers] of [['/assets/missing.js', {}], ['/api/v1/nope', PAGE], ['/api/v1/nope', {}], ['/api', PAGE], ['/.env', {}]] as const) {
      const res = await fetch(`${url}${path}`, { headers })
      expect(res.status, path).toBe(404)
      expect(await res.json(), path).toMatchObject({ code: 'GW_ERR_API_NOT_FOUND' })
    }
  })

  it('the API and the hub\'s operations routes keep their own answers', async () => {
    const ops = await fetch(`${url}/healthz`, { headers: PAGE })
    expect(await ops.json()).toEqual({ ok: true, from: 'ops' })
    const api = await fetch(`${url}/api/v1/healthz`, { headers: PAGE })
    expect(await api.json()).toEqual({ ok: true })
    const anonymous = await fetch(`${url}/api/v1/incidents`, { headers: PAGE })
    expect(anonymous.status).toBe(401)
  })

  it('a POST to a page path is not the console\'s', async () => {
    const res = await fetch(`${url}/queue`, { method: 'POST', headers: PAGE })
    expect(res.status).toBe(404)
  })
})

describe('without a console build', () => {
  it('GET / answers 503 with how to build it, and the API still works', async () => {
    const url = await serve(join(dir, 'not-built'))
    for (const path of ['/', '/queue']) {
      const res = await fetch(`${url}${path}`, { headers: PAGE })
      expect(res.status, path).toBe(503)
      expect(res.headers.get('content-type'), path).toMatch(/^text\/plain/)
      expect(await res.text(), path).toBe(CONSOLE_NOT_BUILT)
    }
    expect(CONSOLE_NOT_BUILT).toBe('console not built: run npm run build:console -w dashboard')
    expect((await fetch(`${url}/`)).status).toBe(503)
    expect((await fetch(`${url}/api/v1/healthz`)).status).toBe(200)
    expect((await fetch(`${url}/assets/x.js`)).status).toBe(404)
  })
})
