import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import pg from 'pg'
import pino from 'pino'
import type { Alert, AuditEntry } from '@gangwan/contracts'
import { createPostgresIncidentStore, type AlertContext, type AlertPlan, type IncidentStore } from '../src/index.ts'
import { makeAlert } from './support/make-alert.ts'
import { createPlan, mergePlan, rework } from './support/make-incident.ts'
import { createTempDatabase, endPool, type TempDatabase } from '../../test-support/postgres.ts'

let db: TempDatabase
beforeAll(async () => { db = await createTempDatabase('incident_nodes') })
afterAll(async () => { await db.drop() })
const log = pino({ level: 'silent' })

/** Alerts each node applies, all under one scope key. */
const ALERTS_PER_NODE = 15
/** Updates (one rework counted each) the second node makes meanwhile. */
const UPDATES = 15

/** The decision of a node: merge into the open incident of the scope, or open one. */
const decide = (alert: Alert, key: string) => (ctx: AlertContext): AlertPlan =>
  ctx.candidates[0] === undefined ? createPlan(alert, {}, [key]) : mergePlan(ctx.candidates[0], alert, [key])

describe('PostgreSQL incident store shared by two hub nodes', () => {
  test('alerts of one scope applied at once on two nodes open one incident, and a live stream on a third sees every entry once in order', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: db.url, max: 3 }))
    const [nodeA, nodeB, viewer] = pools.map((pool) => createPostgresIncidentStore({ pool, schema: 'centre', log })) as [IncidentStore, IncidentStore, IncidentStore]
    try {
      const key = 'fire|B03|Z12'
      const alerts = (node: string): Alert[] => Array.from({ length: ALERTS_PER_NODE }, (_, i) => makeAlert({ subject: `${node}-S${String(i).padStart(2, '0')}` }))
      const apply = async (store: IncidentStore, list: Alert[]): Promise<void> => {
        for (const a of list) await store.applyAlert(a, [key], decide(a, key))
      }
      // Each node races itself too: two loops per node over halves of its alerts.
      const [a, b] = [alerts('A'), alerts('B')]
      let working = true
      const work = Promise.all([
        apply(nodeA, a.slice(0, 8)), apply(nodeA, a.slice(8)), apply(nodeB, b.slice(0, 8)), apply(nodeB, b.slice(8)),
        (async () => {
          // Reworks of the incident once it exists, concurrent with the merges into it.
          let done = 0
          while (done < UPDATES) {
            const [incident] = await nodeB.all()
            if (incident === undefined) continue
            await nodeB.update(incident.id, rework)
            done++
          }
        })()
      ]).finally(() => { working = false })

      // The live stream's reader: pages after its cursor while the nodes write.
      const seen: AuditEntry[] = []
      for (;;) {
        const stillWorking = working
        const page = await viewer.changesSince(seen.at(-1)?.seq ?? 0, 5)
        seen.push(...page.map((c) => c.entry))
        if (page.length === 0 && !stillWorking) break
      }
      await work

      const incidents = await viewer.all()
      expect(incidents).toHaveLength(1)
      const [incident] = incidents
      expect(incident).toMatchObject({ version: 2 * ALERTS_PER_NODE + UPDATES, alertCount: 2 * ALERTS_PER_NODE, reworkCount: UPDATES })
      expect((await viewer.alerts(incident!.id)).map((l) => l.alert.key).sort()).toEqual([...a, ...b].map((x) => x.key).sort())
      const timeline = await viewer.timeline(incident!.id)
      expect(timeline).toHaveLength(2 * ALERTS_PER_NODE + UPDATES)
      expect(timeline.filter((e) => e.event === 'created')).toHaveLength(1)
      expect(seen).toEqual(timeline)
      expect(seen.map((e) => e.seq)).toEqual([...new Set(seen.map((e) => e.seq))].sort((x, y) => x - y))
    } finally {
      for (const store of [nodeA, nodeB, viewer]) await store.close()
      for (const pool of pools) await endPool(pool)
    }
  })
})
