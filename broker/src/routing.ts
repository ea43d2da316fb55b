import type { Aedes, PublishPacket } from 'aedes'
import type { Counter } from 'prom-client'

type Done = (err?: Error) => void
/** aedes's own calls pass the publishing client second (its typings know only `publish(packet, done)`). */
type InternalPublish = (packet: PublishPacket, client: unknown, done?: Done) => void

/** Telemetry and heartbeats: they only ever go to the ingest sink unless a service subscribes to them. */
const isData = (topic: string): boolean => topic.endsWith('/telemetry') || topic.endsWith('/heartbeat')

/** Whether a subscription filter can match a telemetry or heartbeat topic (one ending in `/cmd` or `/cmd/ack` cannot). */
export function filterReachesData (filter: string): boolean {
  return !(filter.endsWith('/cmd') || filter.endsWith('/cmd/ack'))
}

/**
 * Skips aedes's routing of telemetry and heartbeats while nobody can receive them.
 *
 * After `authorizePublish` has handed a message to the ingest sink and aedes has acknowledged it,
 * aedes still routes it: a packet copy, a look-up of offline subscriptions (a promise), a match
 * against live subscriptions and a `publish` event (skipping them made hub-only ingest 10–11 %
 * faster, docs/benchmarks.md). Gateways and devices may subscribe only to their
 * own command topics and the hub to command answers (DESIGN decision 11), so until a service
 * subscribes to a filter that can match data, a non-retained telemetry or heartbeat message from
 * a client has no receiver and the routing is skipped. From the first such subscription on, every
 * message is routed again until the broker restarts (aedes keeps sessions in memory only, so a
 * restart starts with no subscriptions).
 */
export function createDataRouting (unrouted: Counter) {
  let routeAll = false
  /** Skipped since the counter was last updated: it is updated once per event-loop turn, not per message. */
  let pending = 0
  const flush = (): void => { unrouted.inc(pending); pending = 0 }

  return {
    /** Called with every filter a subscription was granted for, by a client or inside the hub. */
    noteFilter (filter: string): void {
      if (!routeAll && filterReachesData(filter)) routeAll = true
    },
    install (broker: Aedes): void {
      const publish = broker.publish.bind(broker) as unknown as InternalPublish
      const routeOrSkip: InternalPublish = (packet, client, done) => {
        if (!routeAll && client !== null && typeof client === 'object' && packet.retain !== true &&
          isData(packet.topic)) {
          if (pending++ === 0) setImmediate(flush)
          if (typeof done === 'function') done()
          return
        }
        publish(packet, client, done)
      }
      broker.publish = routeOrSkip as unknown as Aedes['publish']
    }
  }
}

export type DataRouting = ReturnType<typeof createDataRouting>
