// Loaded into the edge agent with `--import` (bench:edge --probe) to see where its memory goes:
// every second, one JSON line of process.memoryUsage() and V8's heap spaces (MB) appended to the
// file GANGWAN_BENCH_PROBE_FILE names. Plain JavaScript: a .ts file would load the type stripper
// into the agent and add to what is measured.
import { appendFileSync } from 'node:fs'
import { getHeapSpaceStatistics } from 'node:v8'

const file = process.env.GANGWAN_BENCH_PROBE_FILE
const mb = (n) => Math.round(n / 104857.6) / 10
if (file !== undefined) {
  setInterval(() => {
    const m = process.memoryUsage()
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]))
    appendFileSync(file, JSON.stringify({ at: Date.now(), rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers), spaces }) + '\n')
  }, 1000).unref()
}
