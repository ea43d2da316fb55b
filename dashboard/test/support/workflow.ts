import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pino from 'pino'
import { alertKey, CommunitySchema, type Actor, type Alert, type Community, type Incident, type IncidentAction, type IncidentStatus } from '@gangwan/contracts'
import { createAlertQueue, createDispatch, createSqliteIncidentStore, type AlertQueue, type Dispatch, type IncidentStore } from '@gangwan/dispatch'

const ROOT = resolve(import.meta.dirname, '../../..')
/** 2026-11-23 09:00 Asia/Shanghai: the workflow's wall clock starts here. */
export const WALL0 = Date.UTC(2026, 10, 23, 1, 0, 0)
const log = pino({ level: 'silent' })
const SETUP: Actor = { type: 'user', id: 'setup', role: 'dispatcher' }

/**
 * The real incident workflow (`createDispatch` on SQLite files in a temp folder) on the committed
 * demo community, with merging switched off so that every alert opens its own incident.
 */
export interface Workflow {
  dir: string
  community: Community
  queue: AlertQueue
  store: IncidentStore
  dispatch: Dispatch
  clock: { now: () => number; advance: (ms: number) => void }
  /** Opens a fire incident in a building of `grid` (G01–G03: FCR-01, G04–G06: FCR-02), auto-dispatched. */
  raise: (grid?: string) => Promise<Incident>
  /** Takes an incident from `dispatched` to `status` by the usual path, acting as a dispatcher. */
  bring: (incident: Incident, status: IncidentStatus) => Promise<Incident>
  close: () => Promise<void>
}

const PATH: Partial<Record<IncidentStatus, IncidentAction[]>> = {
  dispatched: [],
  accepted: [{ type: 'accept' }],
  handling: [{ type: 'accept' }, { type: 'arrive' }],
  resolved: [{ type: 'accept' }, { type: 'arrive' }, { type: 'resolve', note: 'checked' }],
  verified: [{ type: 'accept' }, { type: 'arrive' }, { type: 'resolve', note: 'checked' }, { type: 'verify' }],
  closed: [{ type: 'accept' }, { type: 'arrive' }, { type: 'resolve', note: 'checked' }, { type: 'verify' }, { type: 'close' }],
  false_alarm: [{ type: 'false_alarm', reason: 'test smoke' }]
}

export async function openWorkflow (opts: { start?: boolean } = {}): Promise<Workflow> {
  const dir = await mkdtemp(join(tmpdir(), 'gangwan-dashboard-'))
  const raw = JSON.parse(await readFile(join(ROOT, 'communities/huaguoyuan.json'), 'utf8')) as Record<string, unknown>
  raw.dispatch = { merge: [] }
  const community = CommunitySchema.parse(raw)
  let t = WALL0
  const clock = { now: () => t, advance: (ms: number) => { t += ms } }
  const path = join(dir, 'dispatch.db')
  const queue = createAlertQueue({ path, log, now: clock.now })
  const store = createSqliteIncidentStore({ path, log, now: clock.now })
  const dispatch = createDispatch({ queue, store, community, log, now: clock.now, pollMs: 20 })
  if (opts.start === true) await dispatch.start()
  const gridOf = new Map(community.buildings.map((b) => [b.id, b.grid]))
  let n = 0

  return {
    dir, community, queue, store, dispatch, clock,
    async raise (grid = 'G01') {
      const devices = community.devices.filter((d) => d.kind === 'fire' && gridOf.get(d.building) === grid)
      const device = devices[n++ % devices.length]!
      if (device.kind !== 'fire') throw new Error('unreachable')
      clock.advance(1000)
      const openedAt = clock.now()
      const ruleId = 'fire.smoke'
      const alert: Alert = {
        key: alertKey(ruleId, device.id, openedAt), ruleId, subject: device.id, device: device.id, kind: 'fire',
        category: 'fire', severity: 'P2', state: 'open', title: 'Smoke pre-alarm',
        source: { type: 'rule', id: ruleId, version: '1', clause: 'GB 4715-2024 §5.7' },
        trigger: { values: { smokeDbM: 0.31 }, window: { fromMs: openedAt - 10_000, toMs: openedAt } },
        location: { grid, building: device.building, floor: device.floor, zone: device.zone },
        openedAt, lastSeenAt: openedAt, count: 1, flapping: false, detectedAt: openedAt + 50, version: 1
      }
      await queue.put([alert])
      await dispatch.pump()
      const { items } = await dispatch.list({ sort: 'createdAt', order: 'desc', limit: 1 })
      const incident = items[0]
      if (incident?.createdAt !== openedAt && incident?.lastAlertAt !== openedAt) throw new Error(`alert ${alert.key} opened no incident`)
      return incident
    },
    async bring (incident, status) {
      let i = incident
      for (const action of PATH[status] ?? []) i = await dispatch.act(i.id, action, SETUP, i.version)
      if (i.status !== status) throw new Error(`could not bring ${i.id} to ${status}: it is ${i.status}`)
      return i
    },
    async close () {
      await dispatch.stop()
      await store.close()
      await queue.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
