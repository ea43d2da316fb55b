import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'

/** Runs a TypeScript file with this Node in a child process; resolves its JSON stdout lines as they come. */
export function runNode (file: string, args: string[]): { child: ChildProcess; lines: AsyncIterableIterator<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
  return { child, lines, exited }
}

/** Next stdout line parsed as JSON. */
export async function nextJson<T> (lines: AsyncIterableIterator<string>): Promise<T> {
  const r = await lines.next()
  if (r.done) throw new Error('child ended without output')
  return JSON.parse(r.value) as T
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port` (10 s at most). */
export async function waitForPort (port: number): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true) })
      s.once('error', () => { resolve(false) })
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`)
    await sleep(50)
  }
}
