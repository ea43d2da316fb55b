import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { once } from 'node:events'
import { join } from 'node:path'
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import type { StoredMessage } from '../src/index.ts'
import { inbound, samples } from './support/community.ts'
import { makeIngest, removeDir, tempDir, uniqueDb, type TestIngest } from './support/harness.ts'

const url = inject('influxUrl')
let dir: string
let t: TestIngest
const opened: MessageChannel[] = []

beforeAll(async () => {
  dir = await tempDir('forward')
  t = makeIngest({ journalPath: join(dir, 'journal.db'), influx: { url, database: uniqueDb('ingest_forward') } })
  await t.ingest.start()
})
afterAll(async () => {
  await t?.ingest.stop()
  for (const c of opened) c.port2.close()
  await removeDir(dir)
})

/** A fresh channel: port1 goes to the ingest worker, the test keeps port2 (as the analytics worker would). */
function open (): MessagePort {
  const c = new MessageChannel()
  opened.push(c)
  return c.port1
}

/** Every batch the port holds now; the worker posts a commit's batch before it answers the commit. */
function batches (port: MessagePort): StoredMessage[][] {
  const out: StoredMessage[][] = []
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) out.push(m.message as StoredMessage[])
  return out
}

async function acceptAll (seq: number): Promise<void> {
  await Promise.all(samples(seq).map((s) => t.ingest.sink.accept(inbound(s.topic, s.msg))))
}

describe('stored messages forwarded to another thread', () => {
  test('arrive on the port as one array per commit, the same messages onStored sees, in commit order', async () => {
    const seen: StoredMessage[] = []
    const off = t.ingest.onStored((m) => { seen.push(m) })
    t.ingest.forwardStored(open)
    const port = opened.at(-1)!.port2
    await acceptAll(1)
    await acceptAll(2)
    // a bad payload is acknowledged but not stored, so it is not forwarded either
    await t.ingest.sink.accept(inbound(samples(3)[0]!.topic, '{not json'))
    off()
    const got = batches(port)
    expect(got.length).toBeGreaterThanOrEqual(2)
    for (const b of got) expect(b.length).toBeGreaterThan(0)
    expect(got.flat()).toEqual(seen)
    expect(got.flat().map((m) => m.type === 'telemetry' ? `${m.device}#${m.msg.seq}` : m.type)).toEqual([
      ...samples(1).map((s) => `${s.device}#1`), ...samples(2).map((s) => `${s.device}#2`)
    ])
  })

  test('a second call replaces the port (the old one is closed), and the returned function stops forwarding', async () => {
    const old = opened.at(-1)!.port2
    const closed = once(old, 'close')
    const stop = t.ingest.forwardStored(open)
    await closed
    const port = opened.at(-1)!.port2
    await acceptAll(4)
    expect(batches(port).flat().map((m) => m.type === 'telemetry' ? m.msg.seq : -1)).toEqual(samples(4).map(() => 4))
    stop()
    await acceptAll(5)
    expect(batches(port)).toEqual([])
  })
})
