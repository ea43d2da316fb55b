import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import { createModbusConnection, ModbusRequestError, type ModbusBackoff } from './create-modbus-connection.ts'

/** Options of {@link createModbusRelay}. */
export interface ModbusRelayOptions {
  host: string
  port: number
  /** Modbus unit; 0 is accepted, as many TCP-only relays answer on it. */
  unitId: number
  /** Zero-based coil address the sounder is wired to. */
  coil: number
  log: Logger
  /** How long one write may take, ms (default 2000). */
  timeoutMs?: number
  /** Writes tried before `set` gives up (default 3). */
  attempts?: number
  backoff?: ModbusBackoff
}

/** A coil driving a local output (a fire sounder). */
export interface ModbusRelay {
  /** Writes the coil (FC 5); rejects with a `ModbusRequestError` once every attempt failed. */
  set: (on: boolean) => Promise<void>
  close: () => Promise<void>
}

/**
 * A Modbus TCP relay output: `set(on)` writes a single coil (function 5). The connection opens on
 * first use and is re-opened by itself when it dropped; a write that fails for want of a
 * connection is retried after the reconnect delay, since a sounder that stays silent is the
 * failure that matters. A Modbus exception (the device refused) is not retried.
 *
 * @example
 * const sounder = createModbusRelay({ host: '10.0.0.9', port: 502, unitId: 1, coil: 0, log })
 * await sounder.set(true)
 */
export function createModbusRelay (opts: ModbusRelayOptions): ModbusRelay {
  const log = opts.log.child({ component: 'modbus-relay', host: opts.host, port: opts.port, unitId: opts.unitId, coil: opts.coil })
  const timeoutMs = opts.timeoutMs ?? 2000
  const attempts = opts.attempts ?? 3
  const conn = createModbusConnection({
    host: opts.host, port: opts.port, log, backoff: opts.backoff ?? { minMs: 200, maxMs: 5000 }
  })
  let closed = false
  return {
    async set (on) {
      for (let attempt = 1; ; attempt++) {
        try {
          await conn.request(opts.unitId, timeoutMs, async (client) => { await client.writeCoil(opts.coil, on) })
          log.info({ on, attempt }, 'relay written')
          return
        } catch (err) {
          const reason = err instanceof ModbusRequestError ? err.reason : 'disconnected'
          log.warn({ reason, attempt, err: (err as Error).message }, 'relay write failed')
          if (closed || attempt >= attempts || reason === 'exception' || reason === 'closed') throw err
          await sleep(Math.min(conn.reconnectDelayMs(), 5000))
        }
      }
    },
    async close () {
      closed = true
      await conn.close()
    }
  }
}
