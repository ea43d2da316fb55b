import { GangwanError, type Community, type DeviceKind } from '@gangwan/contracts'
import type { TelemetryHistory, TelemetryPoint } from '@gangwan/dashboard'
import { queryInflux, type InfluxRow } from '@gangwan/ingest'

/** An InfluxDB server and database, as the hub's config gives them (v1 HTTP API). */
export interface InfluxTarget {
  url: string
  database: string
  username?: string | undefined
  password?: string | undefined
}

/** The fields of a row: everything but `time`, nulls (fields this point lacks) left out. */
function pointOf (row: InfluxRow, prefix: string): TelemetryPoint {
  const fields: TelemetryPoint['fields'] = {}
  for (const [k, v] of Object.entries(row)) {
    if (k === 'time' || v === null || v === undefined) continue
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') fields[k.startsWith(prefix) ? k.slice(prefix.length) : k] = v
  }
  return { ts: Number(row.time), fields }
}

/**
 * A device's telemetry history read back from InfluxDB with InfluxQL (v1 `/query`, which 1.x, 2.x
 * and 3.x answer) through ingest's `queryInflux`. The measurement is the device's kind and the
 * series is tagged with its id (ingest's line mapping); a point's time is its `ts` ms plus
 * `seq mod 1e6` ns, so `epoch=ms` gives each reading's `ts` back and `time < to + 1 ms` keeps the
 * whole last millisecond. Up to `maxPoints` readings come back as they are; a range holding more is
 * thinned with `first(*) … GROUP BY time(bucket)`: per bucket the first value of each field, stamped
 * with the bucket's start (the answer says `bucketMs`). Unknown device: `GW_ERR_API_NOT_FOUND`.
 *
 * @example const { points } = await createTelemetryHistory({ community, influx }).read('B01-F12-S01', from, to, 2000)
 */
export function createTelemetryHistory (opts: { community: Community; influx: InfluxTarget }): TelemetryHistory {
  const kinds = new Map<string, DeviceKind>(opts.community.devices.map((d) => [d.id, d.kind]))
  const { url, database, username, password } = opts.influx
  const query = async (q: string): Promise<InfluxRow[]> => await queryInflux(url, database, q, { epoch: 'ms', username, password })
  return {
    async read (device, fromMs, toMs, maxPoints) {
      const kind = kinds.get(device)
      if (kind === undefined) throw new GangwanError('GW_ERR_API_NOT_FOUND', `no device "${device}" in the community`)
      // Ids are [A-Za-z0-9_-] (IdSchema), so the literal needs no escaping.
      const where = `WHERE device = '${device}' AND time >= ${fromMs}ms AND time < ${toMs + 1}ms`
      const count = Number((await query(`SELECT count(seq) FROM "${kind}" ${where}`))[0]?.count ?? 0)
      if (count <= maxPoints) {
        const rows = await query(`SELECT *::field FROM "${kind}" ${where} ORDER BY time ASC`)
        return { device, kind, points: rows.map((r) => pointOf(r, '')) }
      }
      // Buckets aligned to the epoch: at most ceil(span / bucket) + 1 of them overlap the range,
      // so a bucket of span / (maxPoints - 1) keeps the answer within maxPoints.
      const bucketMs = Math.ceil((toMs + 1 - fromMs) / Math.max(1, maxPoints - 1))
      const rows = await query(`SELECT first(*) FROM "${kind}" ${where} GROUP BY time(${bucketMs}ms) fill(none)`)
      return { device, kind, points: rows.map((r) => pointOf(r, 'first_')), bucketMs }
    }
  }
}
