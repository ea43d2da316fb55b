import type { Logger } from 'pino'
import { GangwanError } from '@gangwan/contracts'

/**
 * Starts a listener on `port`; when that port is taken and was only a default (not set by the user),
 * says so clearly and takes a free port instead. A port the user asked for explicitly must not be
 * silently replaced: that fails with `GW_ERR_PORT_IN_USE`.
 */
export async function listenWithFallback<T> (
  what: string,
  port: number,
  explicit: boolean,
  log: Logger,
  listen: (port: number) => Promise<T>
): Promise<T> {
  try {
    return await listen(port)
  } catch (err) {
    if (!isAddressInUse(err, port) || port === 0) throw err
    if (explicit) {
      throw new GangwanError('GW_ERR_PORT_IN_USE', `${what} port ${port} is already in use; choose another or leave it unset to take a free one`, { cause: err })
    }
    log.warn({ port, what }, `${what} port ${port} is already in use (another service listens there); taking a free port instead`)
    return await listen(0)
  }
}

/**
 * Whether `err` says that `port` itself is taken. A listener may open more than one port (the broker's
 * TLS port is always set explicitly): only the port being tried here may fall back.
 */
function isAddressInUse (err: unknown, port: number): boolean {
  type InUse = { code?: string; port?: number; cause?: InUse }
  const e = err as InUse
  const inner = e.code === 'EADDRINUSE' ? e : e.cause
  return inner?.code === 'EADDRINUSE' && (inner.port === undefined || inner.port === port)
}
