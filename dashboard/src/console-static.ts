import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** What to say when the console was never built (the API keeps working). */
export const CONSOLE_NOT_BUILT = 'console not built: run npm run build:console -w dashboard'

/** Paths that never belong to the console: the API and the hub's operations routes. */
const NOT_CONSOLE = /^\/(?:api(?:\/|$)|metrics$|healthz$)/

/**
 * Serves the operator console's build (`dir`, Vite's output) at `/` and answers the navigations
 * of its client-side router. Registers `@fastify/static`'s wildcard route, so a build made while
 * the server runs is served without a restart; explicit routes (`/api/v1/…`, `/metrics`,
 * `/healthz`) win over the wildcard by find-my-way's precedence. Returns the fallback the app's
 * not-found handler calls first: it answers (and returns true) a GET for a page — not the API or
 * an operations path, `Accept` naming `text/html` — with `index.html` (SPA fallback), or with 503
 * and {@link CONSOLE_NOT_BUILT} when there is no build.
 *
 * Caching: Vite puts content-hashed names under `assets/`, which may be cached for a year
 * (RFC 9111 §5.2.2.1 `max-age`, RFC 8246 `immutable`); anything else, `index.html` above all,
 * is revalidated each time (`no-cache`), so a new build shows on the next load.
 */
export function registerConsole (app: FastifyInstance, dir: string): (req: FastifyRequest, reply: FastifyReply) => boolean {
  void app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: true,
    // The folder may not exist yet (the build runs later); the fallback explains that to the browser.
    suppressWarning: true,
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders (reply, path) {
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
    }
  })
  const index = join(dir, 'index.html')
  return (req, reply) => {
    const path = req.url.split('?')[0] ?? '/'
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(path)) return false
    const wantsPage = path === '/' || (req.headers.accept ?? '').includes('text/html')
    if (!wantsPage) return false
    if (!existsSync(index)) {
      void reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(CONSOLE_NOT_BUILT)
      return true
    }
    void reply.code(200).sendFile('index.html')
    return true
  }
}
