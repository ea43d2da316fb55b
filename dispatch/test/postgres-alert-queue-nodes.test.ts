import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import pg from 'pg'
import pino from 'pino'
import type { Alert } from '@gangwan/contracts'
import { createPostgresAlertQueue, type AlertChange, type AlertQueue } from '../src/index.ts'
import { expectRaceOutcome } from './support/alert-queue-contract.ts'
import { racePlan } from './support/put-plans.ts'
import { createTempDatabase, endPool, type TempDatabase } from '../../test-support/postgres.ts'

let db: TempDatabase
beforeAll(async () => { db = await createTempDatabase('queue_nodes') })
afterAll(async () => { await db.drop() })
const log = pino({ level: 'silent' })

/** Rounds each producer runs its plan: the replays are no-ops but keep the nodes contending. */
const ROUNDS = 3

describe('PostgreSQL alert queue shared by two hub nodes', () => {
  test('concurrent puts from two nodes reach a consumer on a third once each, in id order, with one open episode per rule and subject', async () => {
    // Three pools: two producing hub nodes and the node whose incident workflow consumes.
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: db.url, max: 3 }))
    const [nodeA, nodeB, consumer] = pools.map((pool) => createPostgresAlertQueue({ pool, schema: 'centre', log })) as [AlertQueue, AlertQueue, AlertQueue]
    try {
      const run = async (q: AlertQueue, plan: Alert[][]): Promise<void> => {
        for (let round = 0; round < ROUNDS; round++) for (const batch of plan) await q.put(batch)
      }
      let producing = true
      const producers = Promise.all([run(nodeA, racePlan('A')), run(nodeB, racePlan('B')), run(nodeA, racePlan('B')), run(nodeB, racePlan('A'))])
        .finally(() => { producing = false })
      // The consumer reads and acks while the nodes put: a change committed behind its cursor would be lost.
      const seen: AlertChange[] = []
      for (;;) {
        const stillProducing = producing
        const batch = await consumer.read('incidents', 7)
        seen.push(...batch)
        if (batch.length > 0) await consumer.ack('incidents', batch.at(-1)!.id)
        else if (!stillProducing) break
      }
      await producers

      const all = await consumer.changesSince(0, 10_000)
      expect(seen).toEqual(all)
      expect(all.map((c) => c.id)).toEqual(all.map((_, i) => i + 1))
      await expectRaceOutcome(consumer)
      expect((await consumer.stats()).consumers).toEqual({ incidents: all.length })
    } finally {
      for (const q of [nodeA, nodeB, consumer]) await q.close()
      for (const pool of pools) await endPool(pool)
    }
  })
})
