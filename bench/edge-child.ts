import { fork, type ChildProcess } from 'node:child_process'

/** A forked helper process of bench/edge.ts, spoken to over Node's IPC channel. */
export interface EdgeChild {
  child: ChildProcess
  /** The next message of this `type` (e.g. `ready`, `report`). */
  next: <T>(type: string, timeoutMs?: number) => Promise<T>
  /** Sends `{ cmd }` and waits for the reply of type `reply`. */
  ask: <T>(cmd: string, reply: string, timeoutMs?: number) => Promise<T>
  tell: (cmd: string) => void
  close: () => Promise<void>
}

/** Forks `file` with this Node and `args`; messages are `{ type, ... }` one way and `{ cmd }` the other. */
export function forkEdgeChild (file: string, args: string[]): EdgeChild {
  const child = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const next = async <T>(type: string, timeoutMs = 120_000): Promise<T> => await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => { child.off('message', on); reject(new Error(`${file}: no ${type} within ${timeoutMs} ms`)) }, timeoutMs)
    const on = (m: { type: string }): void => {
      if (m.type !== type) return
      clearTimeout(timer)
      child.off('message', on)
      resolve(m as T)
    }
    child.on('message', on)
  })
  return {
    child,
    next,
    tell: (cmd) => { child.send({ cmd }) },
    async ask (cmd, reply, timeoutMs) {
      const r = next<never>(reply, timeoutMs)
      child.send({ cmd })
      return await r
    },
    async close () {
      if (child.exitCode === null && child.signalCode === null) { child.disconnect(); setTimeout(() => child.kill('SIGKILL'), 5000).unref() }
      await exited
    }
  }
}
