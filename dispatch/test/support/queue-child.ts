// A separate process on a queue file, for the tests that need real processes (SIGKILL, races).
// argv: path mode [racer]
//   crash: puts crashBatch(0), crashBatch(1), … without end, sending { done: b } after each put
//          resolves, until the parent kills it.
//   race:  sends 'ready', waits for 'go', puts racePlan(racer) a few times over, sends 'finished'.
import pino from 'pino'
import { createAlertQueue } from '../../src/index.ts'
import { crashBatch, racePlan } from './put-plans.ts'

/** What the child tells its parent over IPC. */
export type QueueChildMessage = 'ready' | 'finished' | { done: number }

const [path, mode, racer] = process.argv.slice(2) as [string, 'crash' | 'race', 'A' | 'B' | undefined]
const queue = createAlertQueue({ path, log: pino({ level: 'silent' }), busyTimeoutMs: 30_000 })
const send = (m: QueueChildMessage): void => { process.send?.(m) }

if (mode === 'crash') {
  for (let b = 0; ; b++) {
    await queue.put(crashBatch(b))
    send({ done: b })
    // Let the event loop turn so the IPC message leaves now, as it would between real puts.
    await new Promise(setImmediate)
  }
} else {
  const plan = racePlan(racer ?? 'A')
  process.once('message', () => {
    void (async () => {
      // Three rounds: the replays are no-ops but keep both writers contending for the lock.
      for (let round = 0; round < 3; round++) for (const batch of plan) await queue.put(batch)
      await queue.close()
      send('finished')
      process.disconnect()
    })()
  })
  send('ready')
}
