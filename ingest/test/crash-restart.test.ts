import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { freePort } from '../src/index.ts'
import { inbound, samples } from './support/community.ts'
import type { CrashChildReply, CrashChildRequest } from './support/crash-child.ts'
import { makeIngest, metric, querier, removeDir, tempDir, uniqueDb } from './support/harness.ts'

const url = inject('influxUrl')
let dir: string
beforeAll(async () => { dir = await tempDir('crash') })
afterAll(async () => { await removeDir(dir) })

const DEVICES = samples(0).map((s) => s.device)
const MEASUREMENTS = ['fire', 'elevator', 'fume', 'noise', 'falling_object']

/** Seq values stored per device, sorted. */
async function seqsPerDevice (query: (q: string) => Promise<Record<string, unknown>[]>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {}
  for (const m of MEASUREMENTS) {
    for (const r of await query(`SELECT seq, device FROM "${m}"`)) (out[String(r.device)] ??= []).push(Number(r.seq))
  }
  for (const list of Object.values(out)) list.sort((a, b) => a - b)
  return out
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function ask (child: ChildProcess, req: CrashChildRequest): Promise<CrashChildReply> {
  const reply = once(child, 'message') as Promise<[CrashChildReply]>
  child.send(req)
  return (await reply)[0]
}

describe('exactly once across SIGKILL and restart', () => {
  test('acknowledged rows survive kill -9, are replayed on start, and resends add no points', async () => {
    const db = uniqueDb('ingest_crash')
    const query = querier(url, db)
    const journalPath = join(dir, 'killed.db')
    let stderr = ''
    const child = fork(join(import.meta.dirname, 'support', 'crash-child.ts'), [journalPath, url, db], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
    child.stderr?.on('data', (b: Buffer) => { stderr += b.toString() })
    try {
      const [ready] = await once(child, 'message') as [unknown]
      expect(ready, stderr).toBe('ready')
      // Seqs 1..20 written and confirmed; 21..40 acknowledged (committed) but still in the journal.
      expect(await ask(child, { from: 1, to: 20, drain: true })).toEqual({ acked: 120, pending: 0 })
      expect(await ask(child, { from: 21, to: 40, drain: false })).toEqual({ acked: 120, pending: 120 })
    } finally {
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    }
    // The killed process left exactly the acknowledged, unwritten rows in the journal file.
    const file = new DatabaseSync(journalPath, { readOnly: true })
    expect(file.prepare('SELECT count(*) AS n FROM journal').get()).toEqual({ n: 120 })
    file.close()
    expect(Object.values(await seqsPerDevice(query)).map((l) => l.length)).toEqual(DEVICES.map(() => 20))

    const t = makeIngest({ journalPath, influx: { url, database: db } })
    await t.ingest.start()
    try {
      await t.ingest.drained()
      const after = await seqsPerDevice(query)
      expect(Object.keys(after).sort()).toEqual([...DEVICES].sort())
      for (const d of DEVICES) expect(after[d], d).toEqual(range(1, 40))

      // The clients never saw some PUBACKs: they resend everything after reconnecting.
      await Promise.all(range(1, 40).flatMap((seq) => samples(seq).map((s) => t.ingest.sink.accept(inbound(s.topic, s.msg)))))
      await t.ingest.drained()
      const final = await seqsPerDevice(query)
      for (const d of DEVICES) expect(final[d], d).toEqual(range(1, 40))
      expect(metric(await t.metrics(), 'gangwan_ingest_buffer_depth')).toBe(0)
    } finally {
      await t.ingest.stop()
    }
  })

  test('rows accepted while InfluxDB is unreachable are written by the next ingest on the same journal', async () => {
    const db = uniqueDb('ingest_reopen')
    const query = querier(url, db)
    const journalPath = join(dir, 'reopen.db')
    const nowhere = `http://127.0.0.1:${await freePort()}`
    const first = makeIngest({ journalPath, influx: { url: nowhere, database: db }, retry: { minDelayMs: 10, maxDelayMs: 50 } })
    await first.ingest.start()
    await Promise.all(range(1, 5).flatMap((seq) => samples(seq).map((s) => first.ingest.sink.accept(inbound(s.topic, s.msg)))))
    expect(first.ingest.pending).toBe(30)
    expect(metric(await first.metrics(), 'gangwan_ingest_buffer_depth')).toBe(30)
    await first.ingest.stop()
    await expect(Promise.resolve(first.ingest.sink.accept(inbound(samples(6)[0]!.topic, samples(6)[0]!.msg)))).rejects.toMatchObject({ code: 'GW_ERR_INGEST_UNAVAILABLE' })

    const second = makeIngest({ journalPath, influx: { url, database: db } })
    await second.ingest.start()
    try {
      expect(second.ingest.pending).toBe(30)
      await second.ingest.drained()
      const stored = await seqsPerDevice(query)
      for (const d of DEVICES) expect(stored[d], d).toEqual(range(1, 5))
      expect(second.ingest.pending).toBe(0)
    } finally {
      await second.ingest.stop()
    }
  })
})
