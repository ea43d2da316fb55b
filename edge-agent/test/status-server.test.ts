import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createStatusServer, type StatusServer } from '../src/observe/create-status-server.ts'

const servers: StatusServer[] = []
afterEach(async () => { for (const s of servers.splice(0)) await s.close() })

async function start (headTimeoutMs?: number): Promise<number> {
  const s = createStatusServer({ metrics: () => 'gangwan_edge_up 1\n', health: () => ({ uplink: 'up', spool: { depth: 3 } }), headTimeoutMs })
  servers.push(s)
  return await s.listen('127.0.0.1', 0)
}

/** Sends `raw` over a plain TCP connection and returns everything the server sent before closing. */
async function raw (port: number, text: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => { c.write(text) })
    let got = ''
    c.on('data', (b) => { got += b.toString('latin1') })
    c.on('close', () => resolve(got))
    c.on('error', reject)
  })
}

describe('the agent\'s status endpoint, over real TCP', () => {
  it('serves /metrics and /healthz to fetch, one request per connection', async () => {
    const port = await start()
    const m = await fetch(`http://127.0.0.1:${port}/metrics`)
    expect(m.status).toBe(200)
    expect(m.headers.get('content-type')).toBe('text/plain; version=0.0.4')
    expect(await m.text()).toBe('gangwan_edge_up 1\n')
    const h = await fetch(`http://127.0.0.1:${port}/healthz?verbose=1`)
    expect(h.headers.get('connection')).toBe('close')
    expect(await h.json()).toEqual({ uplink: 'up', spool: { depth: 3 } })
    // A second request on the same fetch pool works (the closed connection is not reused).
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200)
  })

  it('answers HEAD without a body, unknown paths 404, other methods 405, garbage 400', async () => {
    const port = await start()
    const head = await raw(port, 'HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(head).toContain('content-length: 18\r\n')
    expect(head.endsWith('\r\n\r\n')).toBe(true)
    expect(await raw(port, 'GET /nope HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/)
    const post = await raw(port, 'POST /metrics HTTP/1.1\r\ncontent-length: 0\r\n\r\n')
    expect(post).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/)
    expect(post).toContain('allow: GET, HEAD\r\n')
    expect(await raw(port, 'hello there\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
  })

  it('answers an oversized head 431 and closes a connection that never finishes its head', async () => {
    const port = await start(300)
    expect(await raw(port, `GET /metrics HTTP/1.1\r\nx-pad: ${'a'.repeat(9000)}`)).toMatch(/^HTTP\/1\.1 431 /)
    const t0 = Date.now()
    expect(await raw(port, 'GET /metrics HTTP/1.1\r\nHost: x\r\n')).toBe('')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250)
  })
})
