import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'

/** Longest request head read; a longer one is answered 431. */
const MAX_HEAD_BYTES = 8192

export interface StatusServerOptions {
  metrics: () => string
  health: () => Record<string, unknown>
  /** A connection that has not sent a whole request head by then is closed (default 5 s). */
  headTimeoutMs?: number
}

export interface StatusServer {
  listen: (host: string, port: number) => Promise<number>
  close: () => Promise<void>
}

const REASONS: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 431: 'Request Header Fields Too Large' }

function respond (socket: Socket, status: number, type: string, body: string, withBody: boolean, extra = ''): void {
  const payload = Buffer.from(body)
  const head = `HTTP/1.1 ${status} ${REASONS[status]}\r\ncontent-type: ${type}\r\ncontent-length: ${payload.length}\r\n${extra}connection: close\r\n\r\n`
  socket.end(withBody ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : Buffer.from(head, 'latin1'))
}

/**
 * The agent's local HTTP endpoint: `GET /metrics` in the Prometheus text format and `GET /healthz`
 * with the agent's state as JSON (`HEAD` too). It answers one request per connection and closes
 * it, which Prometheus, curl and fetch all handle.
 *
 * Written on node:net rather than node:http: loading node:http costs a gateway ~1.5 MB of resident
 * memory (its modules and their pages of the Node binary) for two fixed GET routes on the local
 * network (docs/edge-agent.md, "Memory"). Anything else is answered 404 or 405, a head over 8 KiB
 * 431, a malformed request line 400, and a connection that sends no whole head within
 * `headTimeoutMs` is closed.
 */
export function createStatusServer (opts: StatusServerOptions): StatusServer {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => { socket.destroy() })
    socket.setTimeout(opts.headTimeoutMs ?? 5000, () => { socket.destroy() })
    let head = ''
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1')
      const end = head.indexOf('\r\n\r\n')
      if (end === -1) {
        if (head.length > MAX_HEAD_BYTES) { socket.off('data', onData); respond(socket, 431, 'text/plain', 'request head too large\n', true) }
        return
      }
      socket.off('data', onData)
      socket.setTimeout(0)
      const [method, target, version, ...rest] = head.slice(0, head.indexOf('\r\n')).split(' ')
      if (method === undefined || target === undefined || version?.startsWith('HTTP/1.') !== true || rest.length > 0) {
        respond(socket, 400, 'text/plain', 'bad request\n', true)
        return
      }
      const path = target.split('?', 1)[0]
      const route = path === '/metrics' ? 'metrics' : path === '/healthz' ? 'healthz' : undefined
      if (route === undefined) { respond(socket, 404, 'text/plain', 'not found\n', method !== 'HEAD'); return }
      if (method !== 'GET' && method !== 'HEAD') { respond(socket, 405, 'text/plain', 'method not allowed\n', true, 'allow: GET, HEAD\r\n'); return }
      if (route === 'metrics') respond(socket, 200, 'text/plain; version=0.0.4', opts.metrics(), method === 'GET')
      else respond(socket, 200, 'application/json', JSON.stringify(opts.health()), method === 'GET')
    }
    socket.on('data', onData)
  })
  return {
    listen: async (host, port) => await new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => { server.off('error', reject); resolve((server.address() as AddressInfo).port) })
    }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
    }
  }
}
