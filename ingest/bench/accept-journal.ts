// Throughput of ingest.sink.accept() into the SQLite journal alone (InfluxDB unreachable, so the
// writer only retries in the background), for journalSync full and normal and for several numbers
// of messages per event-loop turn (the group-commit size). Each turn's group goes to the ingest
// worker thread and is awaited before the next turn, so every turn pays one thread round trip and
// one commit (no pipelining, unlike a loaded broker). Also the classify-only cost per message.
// Run: node ingest/bench/accept-journal.ts [messages]   (README "fsync policy" quotes its output)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { Registry } from 'prom-client'
import { CommunitySchema, topics, type InboundMessage } from '@gangwan/contracts'
import { createIngest, freePort, ingestConfig } from '../src/index.ts'
import { createClassifier } from '../src/classify/create-classifier.ts'
import { createInventory } from '../src/inventory/create-inventory.ts'
import { createSeqWindows } from '../src/dedup/create-seq-windows.ts'

const TOTAL = Number(process.argv[2] ?? 200_000)
const DEVICES = 1000
const GATEWAYS = 10

const community = CommunitySchema.parse({
  schemaVersion: 1, id: 'bench', name: 'Bench',
  grids: [{ id: 'G1', name: 'G1', zoneClass: '1' }],
  buildings: [{ id: 'B01', name: 'B01', grid: 'G1', floors: 40, facades: [{ id: 'S', orientation: 'S', widthM: 40 }], position: { x: 0, y: 0 }, footprint: { widthM: 40, depthM: 20 } }],
  gateways: Array.from({ length: GATEWAYS }, (_, g) => ({ id: `GW-${g}`, building: 'B01' })),
  devices: Array.from({ length: DEVICES }, (_, d) => ({ id: `D-${d}`, kind: 'fire', gateway: `GW-${d % GATEWAYS}`, building: 'B01', detector: 'multi', floor: 1 + (d % 40), zone: `Z${d % 40}` }))
})

function messages (n: number, offset: number): InboundMessage[] {
  const out: InboundMessage[] = []
  const ts = Date.now()
  for (let i = 0; i < n; i++) {
    const d = i % DEVICES
    const seq = offset + Math.floor(i / DEVICES)
    const payload = Buffer.from(JSON.stringify({ kind: 'fire', seq, ts: ts + i, smokeDbM: 0.02 + (i % 7) / 100, temperatureC: 24.5, alarm: false, fault: false, tamper: false, batteryPct: 87 }))
    out.push({ clientId: `GW-${d % GATEWAYS}`, topic: topics.telemetry(`GW-${d % GATEWAYS}`, `D-${d}`), payload, qos: 1, retain: false, receivedAt: ts })
  }
  return out
}

const log = pino({ level: 'silent' })
const nowhere = `http://127.0.0.1:${await freePort()}`
const dir = await mkdtemp(join(tmpdir(), 'gangwan-ingest-bench-'))
let round = 0

{
  const classify = createClassifier({ inventory: createInventory(community), telemetryWindows: createSeqWindows(), heartbeatWindows: createSeqWindows(), log, now: Date.now })
  // The worker receives topic and payload as strings decoded from the group buffer.
  for (const m of messages(TOTAL, 0)) classify(m.topic, m.payload.toString(), m.receivedAt) // warm-up: JIT and one seq per device
  const msgs = messages(TOTAL, TOTAL).map((m) => ({ topic: m.topic, payload: m.payload.toString(), receivedAt: m.receivedAt }))
  const t0 = performance.now()
  for (const m of msgs) classify(m.topic, m.payload, m.receivedAt)
  console.log(`classify only (topic, JSON, zod, inventory, dedup, line): ${((performance.now() - t0) * 1000 / TOTAL).toFixed(2)} µs/msg`)
}

const ROUNDS = 3
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

for (const sync of ['full', 'normal'] as const) {
  for (const perTurn of [1, 10, 100, 1000]) {
    const rates: number[] = []
    const n = perTurn === 1 ? Math.min(TOTAL, 50_000) : TOTAL
    for (let r = 0; r < ROUNDS; r++) {
      const ingest = createIngest(ingestConfig({ journalPath: join(dir, `j-${round++}.db`), journalSync: sync, influx: { url: nowhere, database: 'bench' } }), { log, metrics: new Registry(), community })
      await ingest.start()
      const msgs = messages(n, 0)
      const t0 = performance.now()
      for (let i = 0; i < n; i += perTurn) {
        let p: Promise<void> | void = undefined
        for (let k = i; k < i + perTurn && k < n; k++) p = ingest.sink.accept(msgs[k]!)
        await p
      }
      rates.push(n / ((performance.now() - t0) / 1000))
      if (ingest.pending !== n) throw new Error(`expected ${n} pending rows, found ${ingest.pending}`)
      await ingest.stop()
    }
    const m = median(rates)
    console.log(`journalSync=${sync.padEnd(6)} ${String(perTurn).padStart(4)} msg/turn: ${Math.round(m).toLocaleString('en')} msg/s median of ${ROUNDS} (${(1e6 / m).toFixed(2)} µs/msg)`)
  }
}
await rm(dir, { recursive: true, force: true })
