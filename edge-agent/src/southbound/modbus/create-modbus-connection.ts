import modbusSerial from 'modbus-serial'
import type { Logger } from 'pino'

// modbus-serial is CommonJS: Node's default import is its module.exports, which is also its `.default`.
const ModbusRTU = modbusSerial.default
/** modbus-serial's client (`ModbusRTU`), connected over TCP. */
export type ModbusClient = InstanceType<typeof ModbusRTU>

/** Why a Modbus request failed; logged as the warning's `reason` and counted. */
export type ModbusFailureReason = 'timeout' | 'exception' | 'connect-failed' | 'backoff' | 'disconnected' | 'closed'

/** A failed request with its reason; `modbusCode` is the exception code the device answered. */
export class ModbusRequestError extends Error {
  readonly reason: ModbusFailureReason
  readonly modbusCode: number | undefined
  constructor (reason: ModbusFailureReason, message: string, options?: { cause?: unknown; modbusCode?: number }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined)
    this.name = 'ModbusRequestError'
    this.reason = reason
    this.modbusCode = options?.modbusCode
  }
}

/** Reconnect back-off: the first delay and the cap, ms; each failed connect doubles it (±20 %). */
export interface ModbusBackoff { minMs: number; maxMs: number }

/** Options of {@link createModbusConnection}. */
export interface ModbusConnectionOptions {
  host: string
  port: number
  log: Logger
  backoff?: ModbusBackoff
  /** How long a TCP connect may take, ms. */
  connectTimeoutMs?: number
}

/** One TCP connection to a Modbus server, shared by every unit behind it. */
export interface ModbusConnection {
  /**
   * Runs `fn` against unit `unitId` once the requests queued before it are done (Modbus TCP
   * gateways often answer one request at a time), connecting first when needed. Rejects with a
   * {@link ModbusRequestError}; never leaves the queue stuck.
   */
  request: <T>(unitId: number, timeoutMs: number, fn: (client: ModbusClient) => Promise<T>) => Promise<T>
  /** Milliseconds until a new connect may be tried (0 when connected or free to try). */
  reconnectDelayMs: () => number
  /** Closes the socket; requests in flight or queued fail with reason `closed`. */
  close: () => Promise<void>
}

interface Live { client: ModbusClient; lost: Promise<never>; fail: (err: Error) => void }

// After this many timeouts in a row the socket is presumed half-open and is replaced.
const TIMEOUTS_BEFORE_RECONNECT = 2

function classify (err: unknown): ModbusRequestError {
  if (err instanceof ModbusRequestError) return err
  const e = err as { name?: string; message?: string; modbusCode?: number }
  if (typeof e?.modbusCode === 'number') return new ModbusRequestError('exception', e.message ?? 'Modbus exception', { cause: err, modbusCode: e.modbusCode })
  if (e?.name === 'TransactionTimedOutError') return new ModbusRequestError('timeout', 'no answer in time', { cause: err })
  return new ModbusRequestError('disconnected', e?.message ?? String(err), { cause: err })
}

/**
 * A lazily opened, self-healing Modbus TCP client connection (modbus-serial's `connectTCP`).
 * A dropped socket is noticed at once (its close event fails the request in flight with
 * `disconnected`); the next request reconnects, no sooner than the back-off allows.
 *
 * @example
 * const conn = createModbusConnection({ host: '10.0.0.7', port: 502, log })
 * const r = await conn.request(3, 2000, (c) => c.readHoldingRegisters(0, 8))
 */
export function createModbusConnection (opts: ModbusConnectionOptions): ModbusConnection {
  const { host, port, log } = opts
  const backoff = opts.backoff ?? { minMs: 1000, maxMs: 30_000 }
  let live: Live | undefined
  let connectFailures = 0
  let nextConnectAt = 0
  let timeoutsInARow = 0
  let closed = false
  let tail: Promise<unknown> = Promise.resolve()
  const closing = Promise.withResolvers<never>()
  closing.promise.catch(() => {})

  const drop = (why: string): void => {
    if (live === undefined) return
    const { client } = live
    live = undefined
    timeoutsInARow = 0
    client.destroy(() => {})
    log.info({ host, port, why }, 'modbus connection dropped')
  }

  const open = async (timeoutMs: number): Promise<Live> => {
    if (live !== undefined && live.client.isOpen) return live
    drop('socket closed')
    const wait = nextConnectAt - Date.now()
    if (wait > 0) throw new ModbusRequestError('backoff', `reconnect to ${host}:${port} in ${wait} ms`)
    const client = new ModbusRTU()
    // modbus-serial re-emits socket errors; the request's own rejection reports them.
    client.on('error', () => {})
    client.setTimeout(opts.connectTimeoutMs ?? Math.max(timeoutMs, 1000))
    try {
      await Promise.race([client.connectTCP(host, { port }), closing.promise])
    } catch (err) {
      client.destroy(() => {})
      if (closed) throw new ModbusRequestError('closed', 'connection closed', { cause: err })
      connectFailures++
      const delay = Math.min(backoff.maxMs, backoff.minMs * 2 ** (connectFailures - 1)) * (0.8 + 0.4 * Math.random())
      nextConnectAt = Date.now() + delay
      throw new ModbusRequestError('connect-failed', `cannot connect to ${host}:${port}: ${(err as Error).message}`, { cause: err })
    }
    connectFailures = 0
    const lost = Promise.withResolvers<never>()
    lost.promise.catch(() => {})
    const entry: Live = { client, lost: lost.promise, fail: lost.reject }
    client.on('close', () => {
      entry.fail(new ModbusRequestError('disconnected', `${host}:${port} closed the connection`))
      if (live === entry) drop('closed by peer')
    })
    live = entry
    log.info({ host, port }, 'modbus connection open')
    return entry
  }

  const run = async <T>(unitId: number, timeoutMs: number, fn: (client: ModbusClient) => Promise<T>): Promise<T> => {
    if (closed) throw new ModbusRequestError('closed', 'connection closed')
    const entry = await open(timeoutMs)
    entry.client.setID(unitId)
    entry.client.setTimeout(timeoutMs)
    try {
      const result = await Promise.race([fn(entry.client), entry.lost, closing.promise])
      timeoutsInARow = 0
      return result
    } catch (err) {
      const e = closed ? new ModbusRequestError('closed', 'connection closed', { cause: err }) : classify(err)
      if (e.reason === 'timeout' && ++timeoutsInARow >= TIMEOUTS_BEFORE_RECONNECT && live === entry) drop('repeated timeouts')
      if (e.reason === 'disconnected' && live === entry) drop('request failed')
      throw e
    }
  }

  return {
    request (unitId, timeoutMs, fn) {
      const p = tail.then(async () => await run(unitId, timeoutMs, fn))
      tail = p.catch(() => {})
      return p
    },
    reconnectDelayMs: () => live !== undefined ? 0 : Math.max(0, nextConnectAt - Date.now()),
    async close () {
      if (closed) return
      closed = true
      closing.reject(new ModbusRequestError('closed', 'connection closed'))
      drop('closed')
      await tail
    }
  }
}
