import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { HubInfo } from '../hub/src/app.ts'

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
  const child = spawn(process.execPath, [...nodeArgs, MAIN], { cwd: ROOT, env: { ...process.env, GANGWAN_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const logs: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
  const info = await new Promise<HubInfo>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`hub not ready after ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`)) }, timeoutMs)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('GANGWAN_READY ')) {
        clearTimeout(timer)
        resolve(JSON.parse(line.slice('GANGWAN_READY '.length)) as HubInfo)
      } else logs.push(line)
    })
    createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line))
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`hub exited with ${code} before ready:\n${logs.slice(-20).join('\n')}`))
    })
  })
  return {
    info,
    child,
    logs,
    kill: async () => {
      child.kill('SIGKILL')
      await exited
    },
    stop: async () => {
      child.kill('SIGTERM')
      return await exited
    }
  }
}
