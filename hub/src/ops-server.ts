import Fastify, { type FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'

/** What `/healthz` reports; `ok` false answers 503. */
export interface Health { ok: boolean; [key: string]: unknown }

/**
 * The hub's operations endpoint: `/metrics` in Prometheus text format (DESIGN decision 10) and
 * `/healthz`. The dashboard's API joins this server in a later issue.
 */
export function createOpsServer (deps: { metrics: Registry; health: () => Health }): FastifyInstance {
  const app = Fastify({ logger: false })
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.contentType)
    return await deps.metrics.metrics()
  })
  app.get('/healthz', async (_req, reply) => {
    const h = deps.health()
    reply.code(h.ok ? 200 : 503)
    return h
  })
  return app
}
