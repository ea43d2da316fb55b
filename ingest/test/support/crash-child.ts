// Child process for the SIGKILL test: an ingest on a given journal that accepts the messages its
// parent asks for and reports back over IPC, until the parent kills it with SIGKILL.
// argv: journalPath influxUrl database
import pino from 'pino'
import { Registry } from 'prom-client'
import { createIngest, ingestConfig } from '../../src/index.ts'
import { inbound, samples, testCommunity } from './community.ts'

/** A request from the parent: accept seqs from..to of every device; `drain` waits for InfluxDB. */
export interface CrashChildRequest { from: number; to: number; drain: boolean }
/** The answer: every accept resolved (acknowledged), and the journal rows not yet written. */
export interface CrashChildReply { acked: number; pending: number }

const [journalPath, url, database] = process.argv.slice(2) as [string, string, string]
// A flush interval far beyond the test: after a drain, rows stay in the journal until SIGKILL.
const ingest = createIngest(ingestConfig({ journalPath, influx: { url, database }, flushIntervalMs: 60_000 }), {
  log: pino({ level: 'silent' }), metrics: new Registry(), community: testCommunity()
})
await ingest.start()
process.on('message', (req: CrashChildRequest) => {
  void (async () => {
    const accepts: (Promise<void> | void)[] = []
    for (let seq = req.from; seq <= req.to; seq++) for (const s of samples(seq)) accepts.push(ingest.sink.accept(inbound(s.topic, s.msg)))
    await Promise.all(accepts)
    if (req.drain) await ingest.drained()
    process.send?.({ acked: accepts.length, pending: ingest.pending } satisfies CrashChildReply)
  })()
})
process.send?.('ready')
