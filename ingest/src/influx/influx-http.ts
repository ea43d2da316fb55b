import { GangwanError } from '@gangwan/contracts'

/** Connection settings of an InfluxDB 1.x v1 HTTP API. */
export interface InfluxTarget {
  url: string
  database: string
  username?: string | undefined
  password?: string | undefined
}

/** Status and body of a `/write`. */
export interface WriteResult { status: number; body: string }

/** The two v1 calls the writer makes. */
export interface InfluxHttp {
  /** POST `/write?db=…&precision=ns`; resolves with any HTTP answer, rejects on network error or abort. */
  write: (body: string, signal: AbortSignal) => Promise<WriteResult>
  /** `CREATE DATABASE` (idempotent in 1.x); throws `GW_ERR_INFLUX_*` on failure. */
  createDatabase: (signal: AbortSignal) => Promise<void>
}

/** `Authorization` header for v1 basic auth, when a username is set. */
export function influxHeaders (t: Pick<InfluxTarget, 'username' | 'password'>): Record<string, string> {
  return t.username === undefined ? {} : { authorization: 'Basic ' + Buffer.from(`${t.username}:${t.password ?? ''}`).toString('base64') }
}

/** A double-quoted InfluxQL identifier. */
export function quoteIdent (s: string): string {
  return '"' + s.replace(/["\\]/g, '\\$&') + '"'
}

/**
 * The v1 HTTP calls over the global fetch (undici keeps connections alive between requests).
 *
 * @example await createInfluxHttp({ url, database: 'gangwan' }).createDatabase(AbortSignal.timeout(5000))
 */
export function createInfluxHttp (t: InfluxTarget): InfluxHttp {
  const auth = influxHeaders(t)
  const writeUrl = `${t.url}/write?${new URLSearchParams({ db: t.database, precision: 'ns' })}`
  const writeHeaders = { ...auth, 'content-type': 'text/plain; charset=utf-8' }
  return {
    async write (body, signal) {
      const res = await fetch(writeUrl, { method: 'POST', headers: writeHeaders, body, signal })
      return { status: res.status, body: await res.text() }
    },
    async createDatabase (signal) {
      let res: Response
      try {
        res = await fetch(`${t.url}/query`, {
          method: 'POST',
          headers: auth,
          body: new URLSearchParams({ q: `CREATE DATABASE ${quoteIdent(t.database)}` }),
          signal
        })
      } catch (err) {
        throw new GangwanError('GW_ERR_INFLUX_UNAVAILABLE', `InfluxDB at ${t.url}: ${(err as Error).message}`, { cause: err })
      }
      const text = await res.text()
      if (res.status >= 500) throw new GangwanError('GW_ERR_INFLUX_UNAVAILABLE', `InfluxDB at ${t.url} answered ${res.status}: ${text}`)
      const error = res.ok ? (JSON.parse(text) as { results?: { error?: string }[] }).results?.[0]?.error : text
      if (error !== undefined) throw new GangwanError('GW_ERR_INFLUX_REJECTED', `CREATE DATABASE ${t.database}: ${res.status} ${error}`)
    }
  }
}
