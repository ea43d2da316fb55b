import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

/** The operator console's build output: `dashboard/console/dist` (`npm run build:console -w dashboard`). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../console/dist', import.meta.url))

/**
 * The dashboard's settings, validated once by {@link createDashboard} and frozen.
 * Session defaults follow OWASP Session Management guidance for a staffed console: an idle timeout
 * covering one shift (8 h) and an absolute one of a day.
 */
export const DashboardConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port (tests); `start()` reports the real one. */
  port: z.number().int().min(0).max(65_535).default(8080),
  /** A session ends this long after its last request (s). */
  sessionIdleS: z.number().int().positive().default(8 * 3600),
  /** …and at the latest this long after login (s). */
  sessionMaxS: z.number().int().positive().default(24 * 3600),
  cookieName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('gangwan_session'),
  /** Marks the session cookie `Secure`; turn on behind HTTPS. */
  secureCookies: z.boolean().default(false),
  /** Comment line sent on idle live streams so proxies keep them open (s). */
  heartbeatS: z.number().positive().max(300).default(15),
  /** Largest request body (bytes). */
  bodyLimit: z.number().int().positive().default(64 * 1024),
  /** Folder of the operator console's build, served at `/`; relative paths resolve against the working directory. */
  consoleDir: z.string().min(1).transform((p) => resolve(p)).default(DEFAULT_CONSOLE_DIR)
}).strict().refine((c) => c.sessionIdleS <= c.sessionMaxS, { message: 'sessionIdleS must not exceed sessionMaxS', path: ['sessionIdleS'] })

export type DashboardConfig = Readonly<z.output<typeof DashboardConfigSchema>>
export type DashboardConfigInput = z.input<typeof DashboardConfigSchema>
