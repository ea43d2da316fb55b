// The cost of the edge agent's fsync policy: appends per second and append latency of its SQLite
// spool with `synchronous = FULL` (fsync per group commit, survives power loss) and `NORMAL`
// (fsync at checkpoints only, survives a killed process), for single appends (one device, one
// reading at a time) and for bursts (many devices in the same event-loop turn, one commit).
// Last line: one JSON object. Usage: npm run bench:edge-spool
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteSpool } from '../edge-agent/src/spool/create-sqlite-spool.ts'
import { LANES } from '../edge-agent/src/spool/spool.ts'

const payload = Buffer.from(JSON.stringify({ kind: 'fume', seq: 1_000_000_123, ts: 1763800000000, fumeMgM3: 0.5, particulateMgM3: 1.1, nmhcMgM3: 2.0, fanCurrentA: 3, fanOn: true, purifierCurrentA: 1, purifierOn: true }))
const entry = { topic: 'gangwan/v1/GW-B01/d/R01-FM/telemetry', payload, lane: LANES.normal, retain: false }

const pct = (xs: number[], p: number): number => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!

async function run (sync: 'full' | 'normal', burst: number, durationMs: number): Promise<{ sync: string, burst: number, appendsPerS: number, latencyP50Ms: number, latencyP99Ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-spool-bench-'))
  const spool = createSqliteSpool({ file: join(dir, 'spool.db'), maxReadings: 10_000_000, maxBytes: 4e9, sync })
  const lat: number[] = []
  let n = 0
  const end = performance.now() + durationMs
  while (performance.now() < end) {
    const t0 = performance.now()
    await Promise.all(Array.from({ length: burst }, async () => await spool.append(entry)))
    lat.push(performance.now() - t0)
    n += burst
  }
  const elapsedS = (durationMs + (performance.now() - end)) / 1000
  await spool.close()
  rmSync(dir, { recursive: true, force: true })
  return { sync, burst, appendsPerS: Math.round(n / elapsedS), latencyP50Ms: +pct(lat, 0.5).toFixed(2), latencyP99Ms: +pct(lat, 0.99).toFixed(2) }
}

const results = []
for (const sync of ['full', 'normal'] as const) {
  for (const burst of [1, 100]) {
    const r = await run(sync, burst, 5000)
    console.log(`synchronous=${sync.padEnd(6)} burst=${String(burst).padStart(3)}: ${r.appendsPerS} appends/s, commit latency p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms`)
    results.push(r)
  }
}
console.log(JSON.stringify({ bench: 'edge-spool', tmpdir: tmpdir(), results }))
