import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The agent's local HTTP endpoint (node:http; a gateway has no room for a web framework):
 * `GET /metrics` in the Prometheus text format and `GET /healthz` with the agent's state as JSON.
 */
export function createStatusServer (deps: { metrics: () => string, health: () => Record<string, unknown> }): { listen: (host: string, port: number) => Promise<number>, close: () => Promise<void> } {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(deps.metrics())
    } else if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(deps.health()))
    } else res.writeHead(404).end()
  })
  return {
    listen: async (host, port) => await new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => { resolve((server.address() as AddressInfo).port) })
    }),
    close: async () => { await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections() }) }
  }
}
