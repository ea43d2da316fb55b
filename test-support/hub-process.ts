import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'
import type { HubInfo } from '../hub/src/app.ts'
import { spawnUntilReady } from './ready-process.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MAIN = fileURLToPath(new URL('../hub/src/main.ts', import.meta.url))

/** A hub running as its own OS process, as in production (`node hub/src/main.ts`). */
export interface HubProcess {
  info: HubInfo
  child: ChildProcess
  /** Collected log lines (pino JSON) of the process so far. */
  logs: string[]
  /** SIGKILL: no shutdown code runs. */
  kill: () => Promise<void>
  /** SIGTERM and wait for a clean exit; resolves the exit code. */
  stop: () => Promise<number | null>
}

/** Spawns the hub with `env` (GANGWAN_* variables) and resolves once it printed its ready line. */
export async function startHubProcess (env: Record<string, string>, timeoutMs = 60_000, nodeArgs: string[] = []): Promise<HubProcess> {
  const p = await spawnUntilReady<HubInfo>([...nodeArgs, MAIN], {
    cwd: ROOT, env: { ...process.env, GANGWAN_LOG_LEVEL: 'info', ...env }, prefix: 'GANGWAN_READY', timeoutMs, what: 'hub'
  })
  return { info: p.ready, child: p.child, logs: p.logs, kill: p.kill, stop: p.stop }
}
