import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

/** A child process that announced itself ready with one `PREFIX {json}` line on standard output. */
export interface ReadyProcess<T> {
  ready: T
  child: ChildProcess
  /** Every other output line so far (pino JSON). */
  logs: string[]
  /** SIGKILL: no shutdown code runs. */
  kill: () => Promise<void>
  /** SIGTERM and wait for the exit code. */
  stop: () => Promise<number | null>
}

/**
 * Spawns `node args…` and resolves once it printed `prefix {json}`; rejects with its last log lines
 * if it exits first or takes longer than `timeoutMs`.
 */
export async function spawnUntilReady<T> (args: string[], opts: { cwd: string, env?: NodeJS.ProcessEnv, prefix: string, timeoutMs: number, what: string }): Promise<ReadyProcess<T>> {
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
  const logs: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`${opts.what} not ready after ${opts.timeoutMs} ms:\n${logs.slice(-20).join('\n')}`)) }, opts.timeoutMs)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(opts.prefix + ' ')) {
        clearTimeout(timer)
        resolve(JSON.parse(line.slice(opts.prefix.length + 1)) as T)
      } else logs.push(line)
    })
    createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line))
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${opts.what} exited with ${code} before ready:\n${logs.slice(-20).join('\n')}`))
    })
  })
  const running = (): boolean => child.exitCode === null && child.signalCode === null
  return {
    ready,
    child,
    logs,
    kill: async () => { if (running()) child.kill('SIGKILL'); await exited },
    stop: async () => { if (running()) child.kill('SIGTERM'); return await exited }
  }
}
