import { GangwanError } from '@gangwan/contracts'
import { influxHeaders } from './influx-http.ts'

/** One row of an InfluxQL result: its series' tags and its columns (`time` first). */
export type InfluxRow = Record<string, unknown>

/** Options of {@link queryInflux}. */
export interface QueryOptions {
  username?: string | undefined
  password?: string | undefined
  /** Return `time` as epoch numbers in this unit instead of RFC 3339 strings (ns strings keep full precision). */
  epoch?: 'ns' | 'u' | 'ms' | 's'
  /** Default: GET for SELECT and SHOW (without INTO), POST otherwise, as the v1 API requires. */
  method?: 'GET' | 'POST'
  signal?: AbortSignal
}

interface Series { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }
interface QueryBody { error?: string; results?: { error?: string; series?: Series[] }[] }

/**
 * Runs InfluxQL against the v1 `/query` endpoint (answered by InfluxDB 1.x, 2.x and 3.x) and returns
 * the rows of every series of every statement, each with its series' tags merged in. Throws
 * `GW_ERR_INFLUX_UNAVAILABLE` when the server cannot be reached or fails, `GW_ERR_INFLUX_REJECTED`
 * when it refuses the query.
 *
 * @example
 * const rows = await queryInflux(url, 'gangwan', `SELECT last(seq) FROM fire GROUP BY device`)
 * // [{ device: 'B01-F12-S01', time: '2025-…Z', last: 1042 }, …]
 */
export async function queryInflux (url: string, database: string, q: string, opts: QueryOptions = {}): Promise<InfluxRow[]> {
  const params = new URLSearchParams({ db: database, q })
  if (opts.epoch !== undefined) params.set('epoch', opts.epoch)
  const method = opts.method ?? (/^\s*(select|show)\b/i.test(q) && !/\binto\b/i.test(q) ? 'GET' : 'POST')
  const base = url.replace(/\/+$/, '')
  let res: Response
  try {
    res = method === 'GET'
      ? await fetch(`${base}/query?${params}`, { headers: influxHeaders(opts), signal: opts.signal })
      : await fetch(`${base}/query`, { method: 'POST', headers: influxHeaders(opts), body: params, signal: opts.signal })
  } catch (err) {
    throw new GangwanError('GW_ERR_INFLUX_UNAVAILABLE', `InfluxDB at ${base}: ${(err as Error).message}`, { cause: err })
  }
  const text = await res.text()
  if (res.status >= 500) throw new GangwanError('GW_ERR_INFLUX_UNAVAILABLE', `InfluxDB at ${base} answered ${res.status}: ${text}`)
  let body: QueryBody
  try { body = JSON.parse(text) as QueryBody } catch { throw new GangwanError('GW_ERR_INFLUX_REJECTED', `query answered ${res.status}: ${text}`) }
  if (body.error !== undefined) throw new GangwanError('GW_ERR_INFLUX_REJECTED', body.error)
  const rows: InfluxRow[] = []
  for (const r of body.results ?? []) {
    if (r.error !== undefined) throw new GangwanError('GW_ERR_INFLUX_REJECTED', r.error)
    for (const s of r.series ?? []) {
      for (const v of s.values) {
        const row: InfluxRow = { ...s.tags }
        for (let i = 0; i < s.columns.length; i++) row[s.columns[i]!] = v[i]
        rows.push(row)
      }
    }
  }
  return rows
}
