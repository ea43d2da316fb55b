/** The API's base path; the console is served on the same origin. */
export const API = '/api/v1'

/**
 * An error answer of the API (`{ code, message }`, codes from contracts/src/errors.ts), or a
 * network failure (`status` 0, code `NETWORK`).
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  constructor (status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

/** Called on any 401, so the app can drop to the login page when a session ends. */
let onUnauthenticated: (() => void) | undefined
export function setUnauthenticatedHandler (fn: (() => void) | undefined): void {
  onUnauthenticated = fn
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE'
  query?: Record<string, string | number | boolean | readonly string[] | undefined>
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Do not call the unauthenticated handler on 401 (the login and "who am I" probes). */
  quiet401?: boolean
}

/** `?a=1&b=x,y`, lists comma-separated as the API takes them, undefined and empty lists left out. */
export function queryString (query: RequestOptions['query']): string {
  if (query === undefined) return ''
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue
    if (Array.isArray(v)) {
      if (v.length > 0) params.set(k, v.join(','))
    } else {
      params.set(k, String(v))
    }
  }
  const s = params.toString()
  return s === '' ? '' : `?${s}`
}

/**
 * A JSON request to the API with the session cookie (`credentials: 'same-origin'`). Resolves
 * with the parsed body (undefined for 204); rejects with an `ApiError`.
 */
export async function request<T> (path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(`${API}${path}${queryString(opts.query)}`, {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal !== undefined ? { signal: opts.signal } : {})
    })
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new ApiError(0, 'NETWORK', (err as Error).message)
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    body = undefined
  }
  if (!res.ok) {
    const e = (body ?? {}) as { code?: unknown, message?: unknown }
    if (res.status === 401 && opts.quiet401 !== true) onUnauthenticated?.()
    throw new ApiError(res.status, typeof e.code === 'string' ? e.code : `HTTP_${res.status}`,
      typeof e.message === 'string' ? e.message : res.statusText)
  }
  return body as T
}
