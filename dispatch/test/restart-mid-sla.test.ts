import { spawn, type ChildProcess } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Community, Incident } from '@gangwan/contracts'
import { alertOf, BACKENDS, demoCommunity, openDispatch, ROOT, type DispatchFixture } from './support/dispatch-fixture.ts'

const NODE = join(ROOT, 'node_modules/.bin/node')
const CHILD = new URL('./support/dispatch-child.ts', import.meta.url).pathname
const ACCEPT_S = 4

/** Starts a dispatch node in its own process and resolves once it is running. */
async function startNode (db: string, communityFile: string): Promise<ChildProcess> {
  const child = spawn(NODE, [CHILD, db, communityFile], { stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => { err += d.toString() })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve() })
    child.on('exit', (code) => reject(new Error(`dispatch node exited ${code}: ${err}`)))
  })
  return child
}

async function until<T> (fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error('condition not met before the deadline')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe.each(BACKENDS)('SLA deadlines survive a killed dispatch node (%s)', (backend) => {
  let fx: DispatchFixture
  let community: Community
  let communityFile: string
  const children: ChildProcess[] = []
  beforeAll(async () => {
    // Short limits so the test runs in seconds; everything else is the demo community.
    community = await demoCommunity((raw) => { raw.dispatch = { sla: [{ acceptS: ACCEPT_S, arriveS: 600, resolveS: 3600 }] } })
    // The test's own connections (queue to put alerts, store to watch); the service runs in the children.
    fx = await openDispatch(community, { backend, clock: { now: Date.now, set: () => {}, advance: () => {} } })
    communityFile = join(fx.dir, 'community.json')
    await writeFile(communityFile, JSON.stringify(community))
  })
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL')
    await fx?.cleanup()
  })

  it('a node killed with SIGKILL mid-SLA is restarted and still escalates when the deadline passes, once', async () => {
    const { queue, store, dbPath: db } = fx
    children.push(await startNode(db, communityFile))
    const device = community.devices.find((d) => d.kind === 'elevator')!
    await queue.put([alertOf(community, device, { ruleId: 'elevator.trapped_at_landing', category: 'elevator', severity: 'P1', openedAt: Date.now() })])
    const incident = await until<Incident>(async () => (await store.list({ status: ['dispatched'] })).items[0])
    const dueAt = incident.deadline!.dueAt
    expect(dueAt - incident.dispatchedAt!).toBe(ACCEPT_S * 1000)

    children[0]!.kill('SIGKILL')
    await new Promise((resolve) => children[0]!.once('exit', resolve))
    expect(Date.now()).toBeLessThan(dueAt)
    children.push(await startNode(db, communityFile))

    const escalated = await until(async () => (await store.timeline(incident.id)).find((e) => e.event === 'escalated'))
    // On time: not before the deadline, and within the timer's period plus scheduling slack after it.
    expect(escalated.at).toBeGreaterThanOrEqual(dueAt)
    expect(escalated.at - dueAt).toBeLessThan(3_000)
    expect(escalated.details).toMatchObject({ step: 'accept', tier: 1 })
    const after = (await store.get(incident.id))!
    expect(after).toMatchObject({ tier: 1, missed: ['accept'], status: 'dispatched' })
    expect(after.escalatedTo).toHaveLength(1)
    expect(community.departments.find((d) => d.id === after.escalatedTo[0])!.kind).toBe('community')
    expect((await store.timeline(incident.id)).filter((e) => e.event === 'escalated')).toHaveLength(1)
  })
})
