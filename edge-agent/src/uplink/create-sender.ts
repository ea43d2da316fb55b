import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import type { Metrics } from '../observe/create-metrics.ts'
import { LANE_ORDER, type Lane, type Spool } from '../spool/spool.ts'

export interface SenderOptions {
  client: MqttClient
  spool: Spool
  maxInflight: number
  metrics: Metrics
  log: Logger
}

/** Sends the spool over one connection; a new connection gets a new sender. */
export interface Sender {
  /** Sends what the window allows; cheap to call often. */
  pump: () => void
  /** The connection is gone: late PUBACK callbacks are ignored from now on. */
  dispose: () => void
}

/** Rows read from one lane per query. */
const BATCH = 500

/**
 * Publishes spooled messages at QoS 1 with at most `maxInflight` unacknowledged, and tells the
 * spool to forget each one when its PUBACK arrives. Lanes are read in urgency order on every
 * round, so a fire alarm overtakes a backlog of routine readings (火警优先); within a lane messages
 * go in append order, which keeps each device's readings in its own order (an alarm may overtake
 * its own device's routine backlog: the hub orders by measurement time, docs/protocol.md §5).
 *
 * Each connection starts from the beginning of the spool: everything still there was not
 * acknowledged, and is sent again (the hub removes duplicates by device and sequence number).
 */
export function createSender (opts: SenderOptions): Sender {
  const { client, spool, metrics } = opts
  const cursor: [number, number, number] = [0, 0, 0]
  let inflight = 0
  let disposed = false
  let pumping = false
  let acked: number[] = []
  let ackScheduled = false

  function flushAcks (): void {
    ackScheduled = false
    const ids = acked
    acked = []
    spool.ack(ids)
    metrics.inc('gangwan_edge_uplink_acked_total', undefined, ids.length)
  }

  function send (lane: Lane, room: number): number {
    const rows = spool.read(lane, cursor[lane], Math.min(room, BATCH))
    for (const m of rows) {
      cursor[lane] = m.id
      inflight++
      client.publish(m.topic, m.payload, { qos: 1, retain: m.retain }, (err) => {
        if (disposed) return
        inflight--
        if (err !== undefined && err !== null) {
          // The connection is failing; its close starts a new sender that resends from the spool.
          opts.log.debug({ err: err.message }, 'publish not acknowledged')
          return
        }
        acked.push(m.id)
        if (!ackScheduled) { ackScheduled = true; setImmediate(flushAcks) }
        // Refill once half the window is free: fewer, larger reads.
        if (inflight <= opts.maxInflight / 2) pump()
      })
    }
    if (rows.length > 0) metrics.inc('gangwan_edge_uplink_published_total', undefined, rows.length)
    return rows.length
  }

  function pump (): void {
    if (disposed || pumping || !client.connected) return
    pumping = true
    try {
      // Each round starts again from the most urgent lane: an alarm spooled while a batch of
      // routine readings was going out is the next thing sent.
      round: while (inflight < opts.maxInflight) {
        const room = opts.maxInflight - inflight
        for (const lane of LANE_ORDER) if (send(lane, room) > 0) continue round
        break
      }
    } finally {
      pumping = false
    }
  }

  return {
    pump,
    dispose () {
      disposed = true
      if (acked.length > 0) flushAcks()
    }
  }
}
