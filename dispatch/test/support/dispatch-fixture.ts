import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pino from 'pino'
import { alertKey, CommunitySchema, type Actor, type Alert, type AlertCategory, type Community, type Device, type Severity } from '@gangwan/contracts'
import { createAlertQueue, createDispatch, createPostgresAlertQueue, createPostgresIncidentStore, createSqliteIncidentStore, type AlertQueue, type Dispatch, type DispatchCounters, type IncidentStore } from '../../src/index.ts'
import { createTempDatabase, type TempDatabase } from '../../../test-support/postgres.ts'

/** Where a fixture keeps its queue and incidents: one SQLite file, or one temporary PostgreSQL database. */
export type Backend = 'sqlite' | 'postgres'
export const BACKENDS: Backend[] = ['sqlite', 'postgres']

export const ROOT = resolve(import.meta.dirname, '../../..')
/** 2026-11-23 09:00 Asia/Shanghai, a Monday: the fixture's wall clock starts here. */
export const WALL0 = Date.UTC(2026, 10, 23, 1, 0, 0)

/** The committed demo community (20 buildings, departments with handlers), with `patch` applied to its raw JSON. */
export async function demoCommunity (patch: (raw: Record<string, unknown>) => void = () => {}): Promise<Community> {
  const raw = JSON.parse(await readFile(join(ROOT, 'communities/huaguoyuan.json'), 'utf8')) as Record<string, unknown>
  patch(raw)
  return CommunitySchema.parse(raw)
}

/** A controllable wall clock. */
export interface ManualClock { now: () => number; set: (ms: number) => void; advance: (ms: number) => void }
export function manualClock (start = WALL0): ManualClock {
  let t = start
  return { now: () => t, set: (ms) => { t = ms }, advance: (ms) => { t += ms } }
}

/** A dispatch service on a real database (alert queue and incident store in one SQLite file or one PostgreSQL database). */
export interface DispatchFixture {
  backend: Backend
  dir: string
  /** The SQLite file, or the PostgreSQL connection string. */
  dbPath: string
  community: Community
  clock: ManualClock
  queue: AlertQueue
  store: IncidentStore
  dispatch: Dispatch & { counters: DispatchCounters }
  /** Stops the service and closes the stores (not the folder). */
  close: () => Promise<void>
  /** Closes and opens everything again on the same files, with the same clock. */
  reopen: () => Promise<DispatchFixture>
  cleanup: () => Promise<void>
}

const log = pino({ level: 'silent' })

export async function openDispatch (community: Community, opts: { backend?: Backend; dir?: string; clock?: ManualClock; dbPath?: string; pg?: TempDatabase } = {}): Promise<DispatchFixture> {
  const backend = opts.backend ?? 'sqlite'
  const dir = opts.dir ?? await mkdtemp(join(tmpdir(), 'gangwan-dispatch-'))
  const pg = backend === 'postgres' ? (opts.pg ?? await createTempDatabase('dispatch')) : undefined
  const dbPath = pg?.url ?? opts.dbPath ?? join(dir, 'dispatch.db')
  const clock = opts.clock ?? manualClock()
  const queue = pg !== undefined ? createPostgresAlertQueue({ connectionString: pg.url, log, now: clock.now }) : createAlertQueue({ path: dbPath, log, now: clock.now })
  const store = pg !== undefined ? createPostgresIncidentStore({ connectionString: pg.url, log, now: clock.now }) : createSqliteIncidentStore({ path: dbPath, log, now: clock.now })
  const dispatch = createDispatch({ queue, store, community, log, now: clock.now })
  const fx: DispatchFixture = {
    backend, dir, dbPath, community, clock, queue, store, dispatch,
    async close () {
      await dispatch.stop()
      await store.close()
      await queue.close()
    },
    async reopen () {
      await fx.close()
      return await openDispatch(community, { backend, dir, clock, dbPath, ...(pg !== undefined ? { pg } : {}) })
    },
    async cleanup () {
      await fx.close()
      await pg?.drop()
      await rm(dir, { recursive: true, force: true })
    }
  }
  return fx
}

/** What an alert of `device` looks like when analytics raises it (location from the community file). */
export function alertOf (community: Community, device: Device, fields: { ruleId: string; category: AlertCategory; severity: Severity; openedAt: number; title?: string }): Alert {
  const building = community.buildings.find((b) => b.id === device.building)!
  const location: Alert['location'] = { grid: building.grid, building: building.id }
  if (device.kind === 'fire') { location.floor = device.floor; location.zone = device.zone }
  if (device.kind === 'elevator') location.elevator = device.elevator
  if (device.kind === 'fume') location.restaurant = device.restaurant
  if (device.kind === 'falling_object') { location.facade = device.facade; location.floorRange = { from: 16, to: 18, confidence: 0.8 } }
  return {
    key: alertKey(fields.ruleId, device.id, fields.openedAt),
    ruleId: fields.ruleId,
    subject: device.id,
    device: device.id,
    kind: device.kind,
    category: fields.category,
    severity: fields.severity,
    state: 'open',
    title: fields.title ?? fields.ruleId,
    source: { type: 'rule', id: fields.ruleId, version: '1', clause: 'test' },
    trigger: { values: {}, window: { fromMs: fields.openedAt - 1000, toMs: fields.openedAt } },
    location,
    openedAt: fields.openedAt,
    lastSeenAt: fields.openedAt,
    count: 1,
    flapping: false,
    detectedAt: fields.openedAt + 20,
    version: 1
  }
}

/** A console user acting in `role` (a handler acts for their department). */
export const user = (id: string, role: string): Actor => ({ type: 'user', id, role })
