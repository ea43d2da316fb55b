import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import type { Dispatch } from '@gangwan/dispatch'
import { createDashboard, createSqliteAuthStore, seedUsers, type AuthStore, type Dashboard, type DashboardConfigInput, type DashboardDeps, type NewUser } from '../../src/index.ts'

/** One console user per role; the handlers work for FCR-01 and FCR-02 of the demo community. */
export const USERS = {
  admin: { id: 'admin-1', name: 'Admin', role: 'admin', password: 'admin-password' },
  dispatcher: { id: 'disp-1', name: 'Dispatcher', role: 'dispatcher', password: 'dispatcher-password' },
  operator: { id: 'op-1', name: 'Operator', role: 'operator', password: 'operator-password' },
  viewer: { id: 'view-1', name: 'Viewer', role: 'viewer', password: 'viewer-password' },
  handler: { id: 'FCR-01-H1', name: '李敏', role: 'handler', department: 'FCR-01', password: 'handler-password' },
  otherHandler: { id: 'FCR-02-H1', name: '刘军', role: 'handler', department: 'FCR-02', password: 'handler2-password' }
} as const satisfies Record<string, NewUser>
export type UserKey = keyof typeof USERS

export interface Harness {
  url: string
  dashboard: Dashboard
  auth: AuthStore
  authPath: string
  /** The dashboard's clock (sessions), separate from the workflow's. */
  clock: { now: () => number; advance: (ms: number) => void }
  /** Logs in and returns the session token (also the bearer secret). */
  login: (user: UserKey) => Promise<string>
  /** fetch against the API: `path` is below /api/v1; `token` is sent as a bearer. */
  api: (path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }) => Promise<Response>
  close: () => Promise<void>
}

/** The console's parts a test may hand the dashboard besides the workflow. */
export type ConsoleDeps = Pick<DashboardDeps, 'community' | 'devices' | 'credentials' | 'telemetry'>

export async function startHarness (dispatch: Dispatch, config: DashboardConfigInput = {}, extra: ConsoleDeps = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'gangwan-dashboard-auth-'))
  const authPath = join(dir, 'auth.db')
  const auth = createSqliteAuthStore({ path: authPath })
  let t = Date.UTC(2026, 10, 23, 1, 0, 0)
  const clock = { now: () => t, advance: (ms: number) => { t += ms } }
  await seedUsers(auth, Object.values(USERS), clock.now())
  const dashboard = createDashboard({ port: 0, ...config }, { ...extra, dispatch, auth, log: pino({ level: 'silent' }), now: clock.now })
  const { url } = await dashboard.start()
  const tokens = new Map<UserKey, string>()

  const api: Harness['api'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers }
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    return await fetch(`${url}/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {})
    })
  }

  return {
    url, dashboard, auth, authPath, clock, api,
    async login (user) {
      const cached = tokens.get(user)
      if (cached !== undefined) return cached
      const res = await api('/auth/login', { body: { username: USERS[user].id, password: USERS[user].password } })
      if (res.status !== 200) throw new Error(`login ${user}: ${res.status} ${await res.text()}`)
      const { token } = await res.json() as { token: string }
      tokens.set(user, token)
      return token
    },
    async close () {
      await dashboard.stop()
      await auth.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
