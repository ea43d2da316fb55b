import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'

/** What `/healthz` reports (serialised as it is); `ok` false answers 503. */
export interface Health { ok: boolean }

/**
 * The hub's operations routes, added to the dashboard's HTTP server (one port for people and
 * machines): `/metrics` in Prometheus text format (DESIGN decision 10) and `/healthz`, which
 * answers 200 with the health report while `ok`, else 503 with the same body (each failed check
 * carries its `reason`), so a load balancer or supervisor needs only the status and an operator
 * reads why. Never cached; neither needs a login.
 */
export function registerOpsRoutes (app: FastifyInstance, deps: { metrics: Registry; health: () => Health | Promise<Health> }): void {
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.contentType)
    return await deps.metrics.metrics()
  })
  app.get('/healthz', async (_req, reply) => {
    const h = await deps.health()
    reply.code(h.ok ? 200 : 503)
    reply.header('cache-control', 'no-store')
    return h
  })
}
