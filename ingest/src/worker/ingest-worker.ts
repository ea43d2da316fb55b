// Entry point of the ingest worker thread (started by createIngest): the only file of the worker
// that reads workerData and talks to the parent port, as main.ts is for a process.
import { parentPort, workerData } from 'node:worker_threads'
import { createPipeline } from './create-pipeline.ts'
import { createWorkerLogger } from './create-worker-logger.ts'
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts'

const port = parentPort!
const init = workerData as WorkerInit
const post = (m: FromWorker): void => { port.postMessage(m) }
const log = createWorkerLogger(init.logLevel, (line) => { post({ t: 'log', line }) })
const pipeline = createPipeline(init, log, post)

// start() opens the journal before its first await, so the journal is open when the first group
// is delivered (a restarted worker gets groups at once).
pipeline.start().catch((err: unknown) => {
  post({ t: 'fatal', error: { code: 'GW_ERR_INGEST_UNAVAILABLE', message: `ingest worker could not start: ${(err as Error).message}` } })
})
port.on('message', (m: ToWorker) => { pipeline.handle(m) })
