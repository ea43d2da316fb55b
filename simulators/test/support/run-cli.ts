import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

/** The repository root: the CLI runs from there as `npm run simulate` does. */
export const ROOT = resolve(import.meta.dirname, '../../..')

/** What a finished CLI run left behind. */
export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Starts `node simulators/src/main.ts ...args`; `done` settles when it exits (killed after `timeoutMs`). */
export function startCli (args: readonly string[], timeoutMs = 30_000): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(resolve(ROOT, 'node_modules/.bin/node'), ['simulators/src/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d })
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const done = new Promise<CliResult>((res) => child.on('close', (code) => { clearTimeout(timer); res({ code, stdout, stderr }) }))
  return { child, done }
}

/** Runs `node simulators/src/main.ts ...args` to completion. */
export async function runCli (args: readonly string[], timeoutMs = 30_000): Promise<CliResult> {
  return await startCli(args, timeoutMs).done
}
