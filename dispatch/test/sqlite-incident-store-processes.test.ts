import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import pino from 'pino'
import { createSqliteIncidentStore, type IncidentStore } from '../src/index.ts'
import type { IncidentChildMessage } from './support/incident-child.ts'
import { makeAlert } from './support/make-alert.ts'
import { createPlan, rework } from './support/make-incident.ts'

const NODE = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'node')
const CHILD = join(import.meta.dirname, 'support', 'incident-child.ts')
/** Steps (one update, one alert) each racer makes. */
const RACE_STEPS = 60
/** Completed steps the parent waits for before it kills the crash child. */
const KILL_AFTER = 40

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gangwan-dispatch-incident-processes-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })
const log = pino({ level: 'silent' })

interface Child { proc: ChildProcess, stderr: () => string, message: () => Promise<IncidentChildMessage> }

function child (args: string[]): Child {
  let stderr = ''
  const proc = spawn(NODE, [CHILD, ...args], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  proc.stderr?.on('data', (b: Buffer) => { stderr += b.toString() })
  /** The child's next message; rejects (with its stderr) if it exits first. */
  const message = async (): Promise<IncidentChildMessage> => await new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null): void => { reject(new Error(`child exited (${code ?? signal}) first:\n${stderr}`)) }
    proc.once('exit', onExit)
    proc.once('message', (m: IncidentChildMessage) => { proc.off('exit', onExit); resolve(m) })
  })
  return { proc, stderr: () => stderr, message }
}

/** A store on `path` holding INC-000001, the incident the children count on. */
async function seeded (path: string): Promise<IncidentStore> {
  const store = createSqliteIncidentStore({ path, log })
  const a = makeAlert({ subject: 'COUNTER' })
  const created = await store.applyAlert(a, [], () => createPlan(a, {}, []))
  expect(created!.incident.id).toBe('INC-000001')
  return store
}

describe('SQLite incident store across processes', () => {
  test('two processes changing one incident and opening incidents for one scope lose no update and open no duplicate', async () => {
    const path = join(dir, 'race.db')
    await (await seeded(path)).close()
    const racers = [child([path, 'race', 'A', String(RACE_STEPS)]), child([path, 'race', 'B', String(RACE_STEPS)])]
    const exits = racers.map(({ proc }) => once(proc, 'exit') as Promise<[number | null, string | null]>)
    expect(await Promise.all(racers.map(async (r) => await r.message()))).toEqual(['ready', 'ready'])
    for (const { proc } of racers) proc.send('go')
    expect(await Promise.all(racers.map(async (r) => await r.message()))).toEqual(['finished', 'finished'])
    expect(await Promise.all(exits), racers.map((r) => r.stderr()).join('\n')).toEqual([[0, null], [0, null]])

    const store = createSqliteIncidentStore({ path, log })
    try {
      expect(await store.get('INC-000001')).toMatchObject({ version: 2 * RACE_STEPS + 1, reworkCount: 2 * RACE_STEPS })
      const timeline = await store.timeline('INC-000001')
      expect(timeline.map((e) => e.event)).toEqual(['created', ...Array<string>(2 * RACE_STEPS).fill('reject')])
      // One incident per scope, holding both racers' alerts: one created it, the other merged.
      const opened = (await store.all()).slice(1)
      expect(opened).toHaveLength(RACE_STEPS)
      for (const incident of opened) {
        expect(incident).toMatchObject({ version: 2, alertCount: 2 })
        expect((await store.alerts(incident.id)).map((l) => l.alert.subject.slice(0, 1)).sort()).toEqual(['A', 'B'])
      }
      const seqs = (await store.changesSince(0, 10_000)).map((c) => c.entry.seq)
      expect(seqs).toHaveLength(1 + 2 * RACE_STEPS + 2 * RACE_STEPS)
      expect(new Set(seqs).size).toBe(seqs.length)
    } finally {
      await store.close()
    }
  })

  test('a process killed in the middle of changes leaves every committed change whole and the store usable', async () => {
    const path = join(dir, 'crash.db')
    await (await seeded(path)).close()
    const { proc, stderr } = child([path, 'crash', 'K', '0'])
    let done = -1
    // 'close', not 'exit': it comes after the IPC channel has delivered the child's last messages.
    const exited = once(proc, 'close') as Promise<[number | null, string | null]>
    proc.on('message', (m: IncidentChildMessage) => {
      if (typeof m !== 'object') return
      // Every message, even one arriving after the kill, is a step whose changes resolved before the child died.
      done = Math.max(done, m.done)
      if (m.done === KILL_AFTER) proc.kill('SIGKILL')
    })
    const [code, signal] = await exited
    expect({ code, signal }, stderr()).toEqual({ code: null, signal: 'SIGKILL' })

    const raw = new DatabaseSync(path)
    expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' })
    raw.close()
    const store = createSqliteIncidentStore({ path, log })
    try {
      const counter = (await store.get('INC-000001'))!
      const updates = counter.reworkCount
      expect(updates).toBeGreaterThanOrEqual(done + 1)
      // Each committed update is one version and one audit entry, never one without the other.
      expect(counter.version).toBe(updates + 1)
      expect(await store.timeline(counter.id)).toHaveLength(counter.version)
      // Each step updates, then opens one incident: the kill may fall between the two.
      const opened = (await store.all()).slice(1)
      expect([updates - 1, updates]).toContain(opened.length)
      expect(opened.map((i) => i.id)).toEqual(opened.map((_, n) => `INC-${String(n + 2).padStart(6, '0')}`))
      for (const incident of opened) {
        expect(incident.version).toBe(1)
        expect((await store.timeline(incident.id)).map((e) => e.event)).toEqual(['created'])
        expect(await store.alerts(incident.id)).toHaveLength(1)
      }
      const { lastSeq } = await store.stats()
      expect((await store.changesSince(0, 10_000)).map((c) => c.entry.seq)).toEqual(Array.from({ length: lastSeq }, (_, n) => n + 1))
      expect(lastSeq).toBe(counter.version + opened.length)

      // The survivor goes on where the dead process stopped.
      expect((await store.update(counter.id, rework)).incident.version).toBe(counter.version + 1)
      const a = makeAlert({ subject: 'AFTER' })
      expect((await store.applyAlert(a, [], () => createPlan(a, {}, [])))!.incident.id).toBe(`INC-${String(opened.length + 2).padStart(6, '0')}`)
    } finally {
      await store.close()
    }
  })
})
