import { queryInflux, type InfluxRow } from '@gangwan/ingest'

/** One row of an InfluxQL result: column name -> value, the series' tags merged in. */
export type Row = InfluxRow

/** InfluxQL through ingest's `queryInflux`, with `time` as epoch nanoseconds. */
export async function influxQuery (url: string, db: string, q: string): Promise<Row[]> {
  return await queryInflux(url, db, q, { epoch: 'ns' })
}

/** A database name unique to this test run. */
export function uniqueDb (prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`
}
