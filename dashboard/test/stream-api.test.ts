import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../../test-support/eventually.ts'
import { startHarness, type Harness } from './support/harness.ts'
import { openSse, type SseClient } from './support/sse-client.ts'
import { openWorkflow, type Workflow } from './support/workflow.ts'

let wf: Workflow
let h: Harness
const open: SseClient[] = []
beforeAll(async () => {
  wf = await openWorkflow({ start: true })
  h = await startHarness(wf.dispatch, { heartbeatS: 0.2 })
})
afterAll(async () => {
  for (const c of open) c.close()
  await h.close()
  await wf.close()
})

async function stream (token: string | undefined, headers: Record<string, string> = {}, query = ''): Promise<SseClient> {
  const c = await openSse(`${h.url}/api/v1/stream${query}`, { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...headers })
  open.push(c)
  return c
}
const lastSeq = async (): Promise<number> => (await wf.store.stats()).lastSeq
const seqsAfter = async (after: number): Promise<number[]> => (await wf.dispatch.changesSince(after, 10_000)).map((e) => e.entry.seq)

describe('live stream', () => {
  it('sends each change as `id: seq`, `event: incident`, data {entry, incident}', async () => {
    const admin = await h.login('admin')
    const c = await stream(admin)
    expect(c.status).toBe(200)
    const incident = await wf.raise('G01')
    const res = await h.api(`/incidents/${incident.id}/actions`, { token: admin, body: { type: 'accept' } })
    expect(res.status).toBe(200)
    const events = await eventually(() => c.events.find((e) => e.entry.event === 'accept') !== undefined && c.events, 20_000, 'the accept event')
    const accept = events.find((e) => e.entry.event === 'accept')!
    expect(accept.event).toBe('incident')
    expect(accept.id).toBe(accept.entry.seq)
    expect(accept.entry).toMatchObject({ incidentId: incident.id, actor: { type: 'user', id: 'admin-1', role: 'admin' }, fromStatus: 'dispatched', toStatus: 'accepted' })
    expect(accept.incident).toEqual(await wf.dispatch.get(incident.id))
    // The incident's creation and dispatch came first, in seq order.
    expect(events.map((e) => e.entry.event)).toEqual(['created', 'dispatch', 'accept'])
    expect(events.map((e) => e.id)).toEqual(await seqsAfter(events[0]!.id - 1))
    c.close()
  })

  it('resumes from Last-Event-ID with every change in order, none twice, while changes keep coming', async () => {
    const admin = await h.login('admin')
    const first = await stream(admin)
    await wf.raise('G01')
    const seen = await first.waitFor(2)
    const resumeAt = seen.at(-1)!.id
    first.close()
    // Changes made while disconnected…
    for (let i = 0; i < 5; i++) await wf.bring(await wf.raise(i % 2 === 0 ? 'G01' : 'G04'), 'accepted')
    // …and while the stream catches up and switches to live.
    const more = (async () => { for (let i = 0; i < 10; i++) await wf.bring(await wf.raise('G02'), 'handling') })()
    const second = await stream(admin, { 'last-event-id': String(resumeAt) })
    await more
    const final = await lastSeq()
    const expected = await seqsAfter(resumeAt)
    expect(expected.length).toBeGreaterThan(40)
    const got = await eventually(() => second.events.at(-1)?.id === final && second.events, 20_000, `the stream to reach seq ${final}`)
    expect(got.map((e) => e.id)).toEqual(expected)
    // And it stays live.
    const incident = await wf.raise('G03')
    await eventually(() => second.events.some((e) => e.entry.incidentId === incident.id), 20_000, 'a live change after the catch-up')
    expect(second.events.map((e) => e.id)).toEqual(await seqsAfter(resumeAt))
  })

  it('?lastEventId= resumes like the header; a bad Last-Event-ID is 400', async () => {
    const admin = await h.login('admin')
    const from = (await lastSeq()) - 3
    const c = await stream(admin, {}, `?lastEventId=${from}`)
    const got = await c.waitFor(3)
    expect(got.map((e) => e.id)).toEqual(await seqsAfter(from))
    expect((await stream(admin, { 'last-event-id': 'abc' })).status).toBe(400)
    expect((await stream(admin, { 'last-event-id': '5' }, '?lastEventId=6')).status).toBe(400)
  })

  it('a handler receives only their department\'s incidents', async () => {
    const from = await lastSeq()
    const admin = await stream(await h.login('admin'), { 'last-event-id': String(from) })
    const handler = await stream(await h.login('handler'), { 'last-event-id': String(from) })
    const mine = await wf.bring(await wf.raise('G01'), 'accepted')
    const theirs = await wf.bring(await wf.raise('G04'), 'accepted')
    expect([mine.department, theirs.department]).toEqual(['FCR-01', 'FCR-02'])
    const all = await seqsAfter(from)
    await eventually(() => admin.events.length === all.length, 20_000, 'the admin to see every change')
    const minePart = (await wf.dispatch.changesSince(from, 1000)).filter((e) => e.incident.department === 'FCR-01').map((e) => e.entry.seq)
    expect(minePart.length).toBeGreaterThan(0)
    expect(minePart.length).toBeLessThan(all.length)
    await eventually(() => handler.events.length >= minePart.length, 20_000, 'the handler to see their changes')
    expect(handler.events.map((e) => e.id)).toEqual(minePart)
    expect(new Set(handler.events.map((e) => e.incident.department))).toEqual(new Set(['FCR-01']))
  })

  it('sends heartbeat comments and ends when the session ends', async () => {
    const login = await h.api('/auth/login', { body: { username: 'view-1', password: 'viewer-password' } })
    const { token } = await login.json() as { token: string }
    const c = await stream(undefined, { cookie: `gangwan_session=${token}` })
    expect(c.status).toBe(200)
    await eventually(() => c.comments.includes('heartbeat'), 20_000, 'a heartbeat')
    expect(c.ended()).toBe(false)
    expect((await h.api('/auth/logout', { method: 'POST', token })).status).toBe(204)
    await eventually(() => c.ended(), 20_000, 'the stream to end after logout')
  })

  it('needs credentials', async () => {
    const c = await stream(undefined)
    expect(c.status).toBe(401)
  })
})

describe('the switch from catch-up to live', () => {
  /**
   * The real dispatch with a pause inside the stream's catch-up read: changes are made (and delivered
   * to subscribers) while it runs, before or after the read itself. Nothing is faked: only timing.
   */
  async function withPausedCatchUp (readFirst: boolean, fn: (h2: Harness, made: () => number[]) => Promise<void>): Promise<void> {
    let pause: (() => Promise<void>) | undefined
    const madeSeqs: number[] = []
    const dispatch = {
      ...wf.dispatch,
      changesSince: async (after: number, limit: number) => {
        const p = pause
        pause = undefined
        if (p !== undefined && !readFirst) await p()
        const page = await wf.dispatch.changesSince(after, limit)
        if (p !== undefined && readFirst) await p()
        return page
      }
    }
    const h2 = await startHarness(dispatch)
    pause = async () => {
      const before = await lastSeq()
      const seen: number[] = []
      const stop = wf.dispatch.subscribe((e) => { seen.push(e.entry.seq) })
      try {
        await wf.bring(await wf.raise('G01'), 'accepted')
        const target = await lastSeq()
        // Delivered to every subscriber, the stream's (subscribed earlier) included.
        await eventually(() => seen.includes(target), 20_000, 'live delivery')
        madeSeqs.push(...(await seqsAfter(before)))
      } finally { stop() }
    }
    try { await fn(h2, () => madeSeqs) } finally { await h2.close() }
  }

  for (const readFirst of [false, true]) {
    it(`changes delivered live ${readFirst ? 'after the catch-up read (only in the live buffer)' : 'before the catch-up read (in both)'} arrive once each, in order`, async () => {
      await withPausedCatchUp(readFirst, async (h2, made) => {
        const from = (await lastSeq()) - 2
        const c = await openSse(`${h2.url}/api/v1/stream`, { authorization: `Bearer ${await h2.login('admin')}`, 'last-event-id': String(from) })
        open.push(c)
        await eventually(() => made().length > 0, 20_000, 'the changes made during the catch-up')
        const final = made().at(-1)!
        await eventually(() => c.events.at(-1)?.id === final, 20_000, `seq ${final}`)
        expect(c.events.map((e) => e.id)).toEqual(await seqsAfter(from))
      })
    })
  }
})

describe('shutdown', () => {
  it('stop() ends open streams and returns', async () => {
    const other = await startHarness(wf.dispatch)
    try {
      const c = await openSse(`${other.url}/api/v1/stream`, { authorization: `Bearer ${await other.login('viewer')}` })
      expect(c.status).toBe(200)
      await other.dashboard.stop()
      await eventually(() => c.ended(), 20_000, 'the stream to end')
    } finally {
      await other.close()
    }
  })
})
