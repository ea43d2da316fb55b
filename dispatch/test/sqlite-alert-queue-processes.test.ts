import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import type { Alert } from '@gangwan/contracts'
import { createAlertQueue } from '../src/index.ts'
import { expectRaceOutcome } from './support/alert-queue-contract.ts'
import { CRASH_BATCH, crashBatch, crashEvent } from './support/put-plans.ts'
import type { QueueChildMessage } from './support/queue-child.ts'

const NODE = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'node')
const CHILD = join(import.meta.dirname, 'support', 'queue-child.ts')
/** Resolved puts the parent waits for before it kills the crash child. */
const KILL_AFTER = 60

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gangwan-dispatch-processes-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })
const log = pino({ level: 'silent' })

interface Child { proc: ChildProcess, stderr: () => string, message: () => Promise<QueueChildMessage> }

function child (args: string[]): Child {
  let stderr = ''
  const proc = spawn(NODE, [CHILD, ...args], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  proc.stderr?.on('data', (b: Buffer) => { stderr += b.toString() })
  /** The child's next message; rejects (with its stderr) if it exits first. */
  const message = async (): Promise<QueueChildMessage> => await new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null): void => { reject(new Error(`child exited (${code ?? signal}) first:\n${stderr}`)) }
    proc.once('exit', onExit)
    proc.once('message', (m: QueueChildMessage) => { proc.off('exit', onExit); resolve(m) })
  })
  return { proc, stderr: () => stderr, message }
}

const events = (from: number, to: number): Alert[] => Array.from({ length: to - from }, (_, i) => crashEvent(from + i))

describe('SQLite alert queue across processes', () => {
  test('puts resolved before SIGKILL survive, a torn put leaves nothing, and replaying them adds no duplicates', async () => {
    const path = join(dir, 'crash.db')
    const { proc, stderr } = child([path, 'crash'])
    let resolved = -1
    // 'close', not 'exit': it comes after the IPC channel has delivered the child's last messages.
    const exited = once(proc, 'close') as Promise<[number | null, string | null]>
    proc.on('message', (m: QueueChildMessage) => {
      if (typeof m !== 'object') return
      // Every message, even one arriving after the kill, is a put that resolved before the child died.
      resolved = Math.max(resolved, m.done)
      if (m.done === KILL_AFTER) proc.kill('SIGKILL')
    })
    const [code, signal] = await exited
    expect({ code, signal }, stderr()).toEqual({ code: null, signal: 'SIGKILL' })

    const q = createAlertQueue({ path, log })
    try {
      const stored = (await q.changesSince(0, 10_000)).map((c) => c.alert)
      // Whole puts only, in order, and at least every one the child saw resolve.
      expect(stored.length % CRASH_BATCH).toBe(0)
      const batches = stored.length / CRASH_BATCH
      expect(batches).toBeGreaterThanOrEqual(resolved + 1)
      expect(stored).toEqual(events(0, stored.length))

      // The producer never learnt which puts landed: it replays from the start and goes on.
      const total = batches + 20
      for (let b = 0; b < total; b++) await q.put(crashBatch(b))
      expect((await q.changesSince(0, 10_000)).map((c) => c.alert)).toEqual(events(0, total * CRASH_BATCH))
      const stats = await q.stats()
      expect(stats.refusedDuplicates).toBe(0)
      const last = new Map(events(0, total * CRASH_BATCH).map((a) => [a.subject, a]))
      expect(await q.open()).toEqual([...last.values()].filter((a) => a.state === 'open').sort((x, y) => x.key < y.key ? -1 : 1))
    } finally {
      await q.close()
    }
  })

  test('two processes putting the same keys at once store each change once and keep one open episode per rule and subject', async () => {
    const path = join(dir, 'race.db')
    const racers = [child([path, 'race', 'A']), child([path, 'race', 'B'])]
    const exits = racers.map(({ proc }) => once(proc, 'exit') as Promise<[number | null, string | null]>)
    expect(await Promise.all(racers.map(async (r) => await r.message()))).toEqual(['ready', 'ready'])
    for (const { proc } of racers) proc.send('go')
    expect(await Promise.all(racers.map(async (r) => await r.message()))).toEqual(['finished', 'finished'])
    expect(await Promise.all(exits), racers.map((r) => r.stderr()).join('\n')).toEqual([[0, null], [0, null]])

    const q = createAlertQueue({ path, log })
    try {
      await expectRaceOutcome(q)
    } finally {
      await q.close()
    }
  })
})
