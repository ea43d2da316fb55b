import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Polls `probe` until it returns a value other than `undefined`/`false`, or throws after `timeoutMs`
 * with the last error. For waiting on an observable outcome (a row in InfluxDB, a metric), not time.
 */
export async function eventually<T> (probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v !== undefined && v !== false) return v
    } catch (err) { last = err }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await sleep(50)
  }
}
