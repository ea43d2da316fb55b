// npm run bench:dispatch [-- --incidents 100000 --sample 5000 --requests 2000 --concurrency 8 --only sqlite|postgres]
// For each store (SQLite on disk, PostgreSQL on 127.0.0.1:5432): alerts → incidents per second through
// the real service (queue → merge → route → auto-dispatch, every change durable), first for `--sample`
// alerts and then for the rest up to `--incidents` stored; then the dashboard API's latency for the
// queue views operators keep open, with that many incidents stored. The last line is one JSON object.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { CommunitySchema, type Community, type Device } from '@gangwan/contracts'
import { createDashboard, createSqliteAuthStore, seedUsers } from '@gangwan/dashboard'
import {
  createAlertQueue, createDispatch, createPostgresAlertQueue, createPostgresIncidentStore, createSqliteIncidentStore,
  type AlertQueue, type IncidentStore
} from '@gangwan/dispatch'
import { FULL_PRESET, generateCommunity } from '@gangwan/simulators'
import { createTempDatabase } from '../test-support/postgres.ts'
import { alertAt } from './lib/seed-open-incidents.ts'

const { values } = parseArgs({ options: {
  incidents: { type: 'string', default: '100000' },
  sample: { type: 'string', default: '5000' },
  requests: { type: 'string', default: '2000' },
  concurrency: { type: 'string', default: '8' },
  only: { type: 'string' }
} })
const INCIDENTS = Number(values.incidents)
const SAMPLE = Math.min(Number(values.sample), INCIDENTS)
const REQUESTS = Number(values.requests)
const CONCURRENCY = Number(values.concurrency)
const say = (msg: string): void => { process.stderr.write(`[bench:dispatch] ${msg}\n`) }
const log = pino({ level: 'silent' })

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d

interface BackendResult {
  intake: { sample: { alerts: number; incidents: number; seconds: number; alertsPerS: number; incidentsPerS: number }; fill: { alerts: number; seconds: number; alertsPerS: number } }
  stored: number
  open: number
  api: Record<string, { requests: number; p50Ms: number; p99Ms: number; maxMs: number }>
}

async function runBackend (backend: 'sqlite' | 'postgres', community: Community): Promise<BackendResult> {
  const dir = await mkdtemp(join(tmpdir(), `gangwan-bench-dispatch-${backend}-`))
  const pg = backend === 'postgres' ? await createTempDatabase('bench_dispatch') : undefined
  const queue: AlertQueue = pg !== undefined ? createPostgresAlertQueue({ connectionString: pg.url, log }) : createAlertQueue({ path: join(dir, 'dispatch.db'), log })
  const store: IncidentStore = pg !== undefined ? createPostgresIncidentStore({ connectionString: pg.url, log }) : createSqliteIncidentStore({ path: join(dir, 'dispatch.db'), log })
  const dispatch = createDispatch({ queue, store, community, log })
  const auth = createSqliteAuthStore({ path: join(dir, 'dashboard.db') })
  const dashboard = createDashboard({ port: 0 }, { dispatch, auth, log })
  try {
    const byKind = new Map<string, Device[]>()
    for (const d of community.devices) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d])
    const t0 = Date.UTC(2026, 0, 1)
    let next = 0
    /** Puts `n` alerts into the queue and lets the service turn them into incidents; seconds taken. */
    const intake = async (n: number): Promise<number> => {
      const started = performance.now()
      for (let done = 0; done < n;) {
        const batch = Array.from({ length: Math.min(500, n - done) }, () => alertAt(community, byKind, next++, t0))
        await queue.put(batch)
        await dispatch.pump()
        done += batch.length
        if (n > SAMPLE && done % 10_000 < 500) say(`${backend}: ${done} / ${n} alerts`)
      }
      return (performance.now() - started) / 1000
    }
    say(`${backend}: ${SAMPLE} alerts through the service...`)
    const sampleS = await intake(SAMPLE)
    const sampleIncidents = (await store.list({ limit: 1 })).total
    const rest = INCIDENTS - sampleIncidents
    say(`${backend}: ${sampleIncidents} incidents in ${round(sampleS)} s; filling to ${INCIDENTS}...`)
    let fillAlerts = 0
    let fillS = 0
    // Merges make incidents fewer than alerts: keep going until the store holds the target.
    for (let missing = rest; missing > 0; missing = INCIDENTS - (await store.list({ limit: 1 })).total) {
      const n = Math.ceil(missing * 1.02)
      fillS += await intake(n)
      fillAlerts += n
    }
    const stats = await store.stats()
    const stored = Object.values(stats.byStatus).reduce((a, b) => a + b, 0)

    await seedUsers(auth, [{ id: 'bench-operator', name: 'bench', role: 'operator', password: 'bench-password-1' }])
    const { url } = await dashboard.start()
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-operator', password: 'bench-password-1' }) })
    const { token } = await login.json() as { token: string }
    const grid = community.grids[3]!.id
    const views: Record<string, (k: number) => string> = {
      openQueueBySeverity: () => '/api/v1/incidents?open=true&sort=severity&order=asc&limit=50',
      newestFirst: () => '/api/v1/incidents?sort=createdAt&order=desc&limit=50',
      gridAndCategory: () => `/api/v1/incidents?grid=${grid}&category=fire,elevator&sort=dueAt&limit=50`,
      incidentDetail: (k) => `/api/v1/incidents/INC-${String(1 + ((k * 7919) % stored)).padStart(6, '0')}`
    }
    const api: BackendResult['api'] = {}
    for (const [name, path] of Object.entries(views)) {
      const times: number[] = []
      let k = 0
      const worker = async (): Promise<void> => {
        while (k < REQUESTS) {
          const i = k++
          const started = performance.now()
          const r = await fetch(`${url}${path(i)}`, { headers: { authorization: `Bearer ${token}` } })
          await r.arrayBuffer()
          if (r.status !== 200) throw new Error(`${name}: HTTP ${r.status}`)
          times.push(performance.now() - started)
        }
      }
      await Promise.all(Array.from({ length: CONCURRENCY }, worker))
      times.sort((a, b) => a - b)
      api[name] = { requests: times.length, p50Ms: round(quantile(times, 0.5)), p99Ms: round(quantile(times, 0.99)), maxMs: round(times.at(-1)!) }
      say(`${backend}: ${name} ${JSON.stringify(api[name])}`)
    }
    return {
      intake: {
        sample: { alerts: SAMPLE, incidents: sampleIncidents, seconds: round(sampleS, 2), alertsPerS: Math.round(SAMPLE / sampleS), incidentsPerS: Math.round(sampleIncidents / sampleS) },
        fill: { alerts: fillAlerts, seconds: round(fillS, 1), alertsPerS: fillS > 0 ? Math.round(fillAlerts / fillS) : 0 }
      },
      stored,
      open: stored - stats.byStatus.closed - stats.byStatus.false_alarm,
      api
    }
  } finally {
    await dashboard.stop()
    await auth.close()
    await dispatch.stop()
    await store.close()
    await queue.close()
    await pg?.drop()
    await rm(dir, { recursive: true, force: true })
  }
}

const community = CommunitySchema.parse(generateCommunity({ ...FULL_PRESET, seed: 1 }))
say(`community: ${community.buildings.length} buildings, ${community.devices.length} devices, ${community.departments.length} departments`)
const results: Record<string, BackendResult> = {}
for (const backend of ['sqlite', 'postgres'] as const) {
  if (values.only !== undefined && values.only !== backend) continue
  results[backend] = await runBackend(backend, community)
  say(`${backend}: ${JSON.stringify(results[backend])}`)
}
process.stdout.write(JSON.stringify({ benchmark: 'dispatch', incidents: INCIDENTS, sample: SAMPLE, requests: REQUESTS, concurrency: CONCURRENCY, ...results }) + '\n')
