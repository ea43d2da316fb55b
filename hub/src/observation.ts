import type { Observation } from '@gangwan/analytics'
import type { StoredMessage } from '@gangwan/ingest'

/**
 * Ingest's stored message as analytics' observation: the hub is where the two services meet, so
 * neither imports the other. Runs in the analytics worker, on each message the ingest worker forwards.
 *
 * @example port.on('message', (batch: StoredMessage[]) => { for (const m of batch) analytics.observe(toObservation(m)) })
 */
export function toObservation (m: StoredMessage): Observation {
  switch (m.type) {
    case 'telemetry': return { type: 'telemetry', device: m.device, gateway: m.gateway, msg: m.msg, receivedAt: m.receivedAt }
    case 'status': return { type: 'status', client: m.gateway, ...(m.device !== undefined ? { device: m.device } : {}), status: m.status, receivedAt: m.receivedAt }
    case 'heartbeat': return { type: 'heartbeat', client: m.gateway, ...(m.device !== undefined ? { device: m.device } : {}), heartbeat: m.heartbeat, receivedAt: m.receivedAt }
  }
}
