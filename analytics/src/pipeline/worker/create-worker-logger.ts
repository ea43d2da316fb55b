import pino, { type Logger } from 'pino'

/**
 * The analytics worker thread's pino logger: same level as the process logger, each JSON line
 * handed to `forward` instead of written; the main thread writes it through the process logger
 * ({@link relayWorkerLog}), so worker lines reach the process's one destination with its bindings.
 * Analytics logs nothing per message at info. (The same pair as ingest's worker logger; the two
 * services do not import each other.)
 *
 * @example const log = createWorkerLogger('info', (line) => { port.postMessage({ t: 'log', line }) })
 */
export function createWorkerLogger (level: string, forward: (line: string) => void): Logger {
  return pino({ level, base: undefined, timestamp: false }, { write: forward })
}

/**
 * Writes one line of {@link createWorkerLogger} through `log` (level, message, fields; `err` revived as an Error).
 *
 * @example worker.on('message', (m) => { if (m.t === 'log') relayWorkerLog(log, m.line) })
 */
export function relayWorkerLog (log: Logger, line: string): void {
  const { level, msg, err, ...fields } = JSON.parse(line) as { level: number, msg?: string, err?: { type?: string, message?: string, stack?: string } } & Record<string, unknown>
  if (err !== undefined && typeof err === 'object') {
    const { type, message, stack, ...props } = err
    const e = Object.assign(new Error(message), props)
    if (type !== undefined) e.name = type
    if (stack !== undefined) e.stack = stack
    fields.err = e
  }
  const label = log.levels.labels[level] ?? 'info'
  ;(log[label as pino.Level] as pino.LogFn)(fields, msg)
}
