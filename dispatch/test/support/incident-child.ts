// A separate process on an incident store file, for the tests that need real processes (SIGKILL, races).
// argv: path mode racer count
//   race:  sends 'ready', waits for 'go', then `count` times: one counting update of INC-000001 (no
//          expectedVersion) and one alert of its own under the scope `race|i`, created or merged;
//          closes the store and sends 'finished'.
//   crash: without end: one counting update of INC-000001, then one alert opening an incident,
//          sending { done: i } after both resolved, until the parent kills it.
import pino from 'pino'
import { createSqliteIncidentStore } from '../../src/index.ts'
import { makeAlert } from './make-alert.ts'
import { createPlan, mergePlan, rework } from './make-incident.ts'

/** What the child tells its parent over IPC. */
export type IncidentChildMessage = 'ready' | 'finished' | { done: number }

const [path, mode, racer, count] = process.argv.slice(2) as [string, 'race' | 'crash', string, string]
const store = createSqliteIncidentStore({ path, log: pino({ level: 'silent' }), busyTimeoutMs: 30_000 })
const send = (m: IncidentChildMessage): void => { process.send?.(m) }

/** Racer `racer`'s alert for step `i`: a subject of its own, so both racers' alerts differ. */
const alertOf = (i: number): ReturnType<typeof makeAlert> => makeAlert({ subject: `${racer}-S${String(i).padStart(4, '0')}` })

if (mode === 'crash') {
  for (let i = 0; ; i++) {
    await store.update('INC-000001', rework)
    const a = alertOf(i)
    await store.applyAlert(a, [], () => createPlan(a, {}, []))
    send({ done: i })
    // Let the event loop turn so the IPC message leaves now, as it would between real changes.
    await new Promise(setImmediate)
  }
} else {
  process.once('message', () => {
    void (async () => {
      for (let i = 0; i < Number(count); i++) {
        await store.update('INC-000001', rework)
        const a = alertOf(i)
        const key = `race|${i}`
        await store.applyAlert(a, [key], (ctx) => ctx.candidates[0] === undefined ? createPlan(a, {}, [key]) : mergePlan(ctx.candidates[0], a, [key]))
      }
      await store.close()
      send('finished')
      process.disconnect()
    })()
  })
  send('ready')
}
