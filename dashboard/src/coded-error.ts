import { GangwanError, type ErrorCode } from '@gangwan/contracts'

/**
 * HTTP status of each code the API may answer with; any other error is a 500.
 * INVALID_ACTION and NO_ROUTE are 400 rather than 422: the request is well formed JSON but its
 * arguments are wrong for this incident, which clients treat like any other bad request.
 */
export const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  GW_ERR_API_BAD_REQUEST: 400,
  GW_ERR_API_UNAUTHENTICATED: 401,
  GW_ERR_AUTH_BAD_CREDENTIALS: 401,
  GW_ERR_API_FORBIDDEN: 403,
  GW_ERR_API_NOT_FOUND: 404,
  GW_ERR_API_CONFLICT: 409,
  GW_ERR_DISPATCH_NOT_FOUND: 404,
  GW_ERR_DISPATCH_STALE: 409,
  GW_ERR_DISPATCH_INVALID_TRANSITION: 409,
  GW_ERR_DISPATCH_INVALID_ACTION: 400,
  GW_ERR_DISPATCH_NO_ROUTE: 400,
  GW_ERR_DISPATCH_STORE_UNAVAILABLE: 503,
  GW_ERR_AUTH_STORE_UNAVAILABLE: 503,
  GW_ERR_INFLUX_UNAVAILABLE: 503,
  GW_ERR_COMMAND_INVALID: 400,
  GW_ERR_COMMAND_UNAVAILABLE: 503,
  GW_ERR_API_INTERNAL: 500
}

/**
 * A route whose part (device directory, credential issuer, telemetry history, community) this
 * server was built without: 501 Not Implemented (RFC 9110 §15.6.2) with `GW_ERR_API_NOT_FOUND`,
 * so clients can tell "not here" from "no such resource" by the status.
 */
export class NotProvidedError extends GangwanError {
  constructor (what: string) {
    super('GW_ERR_API_NOT_FOUND', `${what} is not available on this server`)
    this.name = 'NotProvidedError'
  }
}

/** `part`, or a {@link NotProvidedError} naming `what` when the server has none. */
export function provided<T> (part: T | undefined, what: string): T {
  if (part === undefined) throw new NotProvidedError(what)
  return part
}

/** The code and status an error maps to, or undefined for an uncoded error. */
export function codedError (err: unknown): { code: ErrorCode; status: number; message: string } | undefined {
  if (!(err instanceof GangwanError)) return undefined
  return { code: err.code, status: err instanceof NotProvidedError ? 501 : HTTP_STATUS[err.code] ?? 500, message: err.message }
}
