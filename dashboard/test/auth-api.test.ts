import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDashboard, createSqliteAuthStore } from '../src/index.ts'
import { startHarness, USERS, type Harness } from './support/harness.ts'
import { openWorkflow, type Workflow } from './support/workflow.ts'
import pino from 'pino'

const HOUR = 3600_000
let wf: Workflow
let h: Harness
beforeAll(async () => {
  wf = await openWorkflow()
  h = await startHarness(wf.dispatch, { sessionIdleS: 3600, sessionMaxS: 4 * 3600 })
})
afterAll(async () => {
  await h.close()
  await wf.close()
})

const sessionCount = (): number => {
  const db = new DatabaseSync(h.authPath, { readOnly: true })
  try { return Number((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n) } finally { db.close() }
}

describe('login and sessions', () => {
  it('login answers the token, its end and the user, and sets an HttpOnly SameSite=Strict cookie that authenticates', async () => {
    const res = await h.api('/auth/login', { body: { username: 'op-1', password: USERS.operator.password } })
    expect(res.status).toBe(200)
    const body = await res.json() as { token: string; expiresAt: number; user: Record<string, unknown> }
    expect(body.token).toMatch(/^gws_[A-Za-z0-9_-]{43}$/)
    expect(body.expiresAt).toBe(h.clock.now() + 3600_000)
    expect(body.user).toEqual({ id: 'op-1', name: 'Operator', role: 'operator', createdAt: expect.any(Number) })
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^gangwan_session=${body.token};`))
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Strict/)
    expect(cookie).toMatch(/; Path=\/api/)
    expect(cookie).not.toMatch(/; Secure/)
    const me = await h.api('/auth/me', { headers: { cookie: `gangwan_session=${body.token}` } })
    expect(me.status).toBe(200)
    expect(await me.json()).toEqual({ principal: { type: 'user', id: 'op-1', name: 'Operator', role: 'operator' }, expiresAt: h.clock.now() + 3600_000 })
  })

  const BAD: Array<[string, unknown, number, string]> = [
    ['wrong password', { username: 'op-1', password: 'nope-nope' }, 401, 'GW_ERR_AUTH_BAD_CREDENTIALS'],
    ['unknown user', { username: 'ghost', password: USERS.operator.password }, 401, 'GW_ERR_AUTH_BAD_CREDENTIALS'],
    ['another user\'s password', { username: 'op-1', password: USERS.admin.password }, 401, 'GW_ERR_AUTH_BAD_CREDENTIALS'],
    ['no password', { username: 'op-1' }, 400, 'GW_ERR_API_BAD_REQUEST'],
    ['extra field', { username: 'op-1', password: 'x', remember: true }, 400, 'GW_ERR_API_BAD_REQUEST']
  ]
  for (const [what, body, status, code] of BAD) {
    it(`login with ${what} answers ${status} ${code} and no cookie`, async () => {
      const res = await h.api('/auth/login', { body })
      expect(res.status).toBe(status)
      expect(await res.json()).toEqual({ code, message: expect.any(String) })
      expect(res.headers.get('set-cookie')).toBeNull()
    })
  }

  it('logout ends the session: its token and cookie are refused afterwards, and logging out twice is fine', async () => {
    const login = await h.api('/auth/login', { body: { username: 'view-1', password: USERS.viewer.password } })
    const { token } = await login.json() as { token: string }
    expect((await h.api('/auth/me', { token })).status).toBe(200)
    const out = await h.api('/auth/logout', { method: 'POST', token })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/^gangwan_session=;.*Expires=Thu, 01 Jan 1970/)
    const me = await h.api('/auth/me', { token })
    expect(me.status).toBe(401)
    expect(await me.json()).toMatchObject({ code: 'GW_ERR_API_UNAUTHENTICATED' })
    expect((await h.api('/auth/me', { headers: { cookie: `gangwan_session=${token}` } })).status).toBe(401)
    expect((await h.api('/auth/logout', { method: 'POST', token })).status).toBe(204)
  })

  it('a session ends after the idle time without use; use keeps it alive; the expired session is deleted', async () => {
    const token = (await (await h.api('/auth/login', { body: { username: 'disp-1', password: USERS.dispatcher.password } })).json() as { token: string }).token
    const before = sessionCount()
    h.clock.advance(HOUR - 1000)
    expect((await h.api('/auth/me', { token })).status).toBe(200)
    h.clock.advance(HOUR - 1000) // 2 h after login but under 1 h since the last use
    const me = await h.api('/auth/me', { token })
    expect(me.status).toBe(200)
    expect((await me.json() as { expiresAt: number }).expiresAt).toBe(h.clock.now() + HOUR)
    h.clock.advance(HOUR)
    const expired = await h.api('/auth/me', { token })
    expect(expired.status).toBe(401)
    expect(await expired.json()).toMatchObject({ code: 'GW_ERR_API_UNAUTHENTICATED' })
    expect(sessionCount()).toBe(before - 1)
  })

  it('a session in use ends at the absolute limit all the same', async () => {
    const token = (await (await h.api('/auth/login', { body: { username: 'disp-1', password: USERS.dispatcher.password } })).json() as { token: string }).token
    for (let i = 0; i < 3; i++) {
      h.clock.advance(HOUR - 60_000)
      const me = await h.api('/auth/me', { token })
      expect(me.status).toBe(200)
    }
    h.clock.advance(HOUR - 60_000) // 3 h 56 min of steady use… the idle end is now capped by the 4 h limit
    expect((await (await h.api('/auth/me', { token })).json() as { expiresAt: number }).expiresAt).toBe(h.clock.now() + 4 * 60_000)
    h.clock.advance(4 * 60_000)
    expect((await h.api('/auth/me', { token })).status).toBe(401)
  })
})

describe('401 and 403', () => {
  const CASES: Array<[string, string, Record<string, string>, number, string]> = [
    ['no credentials', '/incidents', {}, 401, 'GW_ERR_API_UNAUTHENTICATED'],
    ['an unknown bearer token', '/incidents', { authorization: 'Bearer gwt_not-a-token' }, 401, 'GW_ERR_API_UNAUTHENTICATED'],
    ['a malformed Authorization header', '/incidents', { authorization: 'Basic b3AtMTpwYXNz' }, 401, 'GW_ERR_API_UNAUTHENTICATED'],
    ['an unknown cookie', '/incidents', { cookie: 'gangwan_session=gws_nothing' }, 401, 'GW_ERR_API_UNAUTHENTICATED'],
    ['no credentials and a bad query (auth comes first)', '/incidents?limit=0', {}, 401, 'GW_ERR_API_UNAUTHENTICATED'],
    ['no credentials on an admin route', '/users', {}, 401, 'GW_ERR_API_UNAUTHENTICATED']
  ]
  for (const [what, path, headers, status, code] of CASES) {
    it(`${what}: ${status} ${code}`, async () => {
      const res = await h.api(path, { headers })
      expect(res.status).toBe(status)
      expect(await res.json()).toEqual({ code, message: expect.any(String) })
    })
  }

  it('a logged-in viewer on an admin route or an action: 403 GW_ERR_API_FORBIDDEN', async () => {
    const token = await h.login('viewer')
    for (const [path, body] of [['/users', undefined], ['/tokens', { name: 'x', role: 'viewer' }], ['/incidents/INC-000001/actions', { type: 'accept' }]] as const) {
      const res = await h.api(path, { token, ...(body !== undefined ? { body } : {}) })
      expect(res.status, path).toBe(403)
      expect(await res.json()).toEqual({ code: 'GW_ERR_API_FORBIDDEN', message: expect.any(String) })
    }
  })

  it('an unknown route answers 404 GW_ERR_API_NOT_FOUND', async () => {
    const res = await h.api('/nowhere')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ code: 'GW_ERR_API_NOT_FOUND' })
  })
})

describe('users and API tokens', () => {
  it('an admin creates and lists users; a duplicate is 409, a handler without department 400; passwords never appear', async () => {
    const token = await h.login('admin')
    const created = await h.api('/users', { token, body: { id: 'FCR-03-H1', name: '杨芳', role: 'handler', department: 'FCR-03', password: 'a-long-password' } })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ user: { id: 'FCR-03-H1', name: '杨芳', role: 'handler', department: 'FCR-03', createdAt: h.clock.now() } })
    const dup = await h.api('/users', { token, body: { id: 'FCR-03-H1', name: 'again', role: 'viewer', password: 'a-long-password' } })
    expect(dup.status).toBe(409)
    expect(await dup.json()).toMatchObject({ code: 'GW_ERR_API_CONFLICT' })
    const noDept = await h.api('/users', { token, body: { id: 'h-x', name: 'x', role: 'handler', password: 'a-long-password' } })
    expect(noDept.status).toBe(400)
    expect(await noDept.json()).toMatchObject({ code: 'GW_ERR_API_BAD_REQUEST' })
    const list = await h.api('/users', { token })
    const text = await list.text()
    expect(JSON.parse(text).items.map((u: { id: string }) => u.id)).toContain('FCR-03-H1')
    expect(text).not.toMatch(/password|scrypt/)
    const login = await h.api('/auth/login', { body: { username: 'FCR-03-H1', password: 'a-long-password' } })
    expect(login.status).toBe(200)
  })

  it('a token is created once, authenticates as its role, is listed without its secret, and is refused once revoked', async () => {
    const admin = await h.login('admin')
    const res = await h.api('/tokens', { token: admin, body: { name: 'city platform', role: 'viewer' } })
    expect(res.status).toBe(201)
    const { id, token } = await res.json() as { id: string; token: string }
    expect(token).toMatch(/^gwt_[A-Za-z0-9_-]{43}$/)
    const me = await h.api('/auth/me', { token })
    expect(await me.json()).toEqual({ principal: { type: 'token', id, name: 'city platform', role: 'viewer' } })
    expect((await h.api('/incidents', { token })).status).toBe(200)
    expect((await h.api('/users', { token })).status).toBe(403)
    const listed = await (await h.api('/tokens', { token: admin })).text()
    expect(listed).toContain(id)
    expect(listed).not.toContain(token.slice(4))
    const revoked = await h.api(`/tokens/${id}`, { method: 'DELETE', token: admin })
    expect(revoked.status).toBe(204)
    const after = await h.api('/incidents', { token })
    expect(after.status).toBe(401)
    expect(await after.json()).toMatchObject({ code: 'GW_ERR_API_UNAUTHENTICATED' })
    const again = await h.api(`/tokens/${id}`, { method: 'DELETE', token: admin })
    expect(again.status).toBe(404)
    expect(await again.json()).toMatchObject({ code: 'GW_ERR_API_NOT_FOUND' })
  })

  const TOKEN_BODIES: Array<[string, unknown, number]> = [
    ['an operator token', { name: 'ops', role: 'operator' }, 201],
    ['a handler token with its department', { name: 'fcr', role: 'handler', department: 'FCR-01' }, 201],
    ['a handler token without department', { name: 'fcr', role: 'handler' }, 400],
    ['a viewer token with a department', { name: 'v', role: 'viewer', department: 'FCR-01' }, 400],
    ['an unknown role', { name: 'x', role: 'root' }, 400],
    ['no name', { role: 'viewer' }, 400]
  ]
  for (const [what, body, status] of TOKEN_BODIES) {
    it(`POST /tokens with ${what}: ${status}`, async () => {
      const res = await h.api('/tokens', { token: await h.login('admin'), body })
      expect(res.status).toBe(status)
      if (status === 400) expect(await res.json()).toMatchObject({ code: 'GW_ERR_API_BAD_REQUEST' })
    })
  }

  it('only an admin manages tokens and users', async () => {
    for (const who of ['dispatcher', 'operator', 'handler'] as const) {
      const token = await h.login(who)
      expect((await h.api('/tokens', { token, body: { name: 'x', role: 'viewer' } })).status, who).toBe(403)
      expect((await h.api('/tokens/tok_x', { method: 'DELETE', token })).status, who).toBe(403)
      expect((await h.api('/users', { token, body: { ...USERS.viewer, id: 'v-2' } })).status, who).toBe(403)
    }
  })
})

describe('configuration', () => {
  const BAD: Array<[string, Record<string, unknown>]> = [
    ['a negative port', { port: -1 }],
    ['an idle time past the absolute limit', { sessionIdleS: 7200, sessionMaxS: 3600 }],
    ['a cookie name with a space', { cookieName: 'my cookie' }],
    ['an unknown key', { sessionTimeout: 5 }]
  ]
  for (const [what, config] of BAD) {
    it(`refuses ${what} with GW_ERR_CONFIG_INVALID`, () => {
      const auth = createSqliteAuthStore({ path: ':memory:' })
      try {
        expect(() => createDashboard(config, { dispatch: wf.dispatch, auth, log: pino({ level: 'silent' }) })).toThrow(expect.objectContaining({ code: 'GW_ERR_CONFIG_INVALID' }))
      } finally { void auth.close() }
    })
  }

  it('secureCookies marks the cookie Secure', async () => {
    const other = await startHarness(wf.dispatch, { secureCookies: true, cookieName: 'gw' })
    try {
      const res = await other.api('/auth/login', { body: { username: 'op-1', password: USERS.operator.password } })
      expect(res.headers.get('set-cookie')).toMatch(/^gw=gws_.*; Secure/)
    } finally { await other.close() }
  })
})
