import type { Heartbeat, Status, Telemetry } from '@gangwan/contracts'

/**
 * What analytics consumes: valid, deduplicated messages as ingest hands them over (in the hub) or
 * as a service subscriber reads them from MQTT (own process). `receivedAt` is the hub's wall clock
 * (epoch ms) at arrival; everything else runs on the message's own measurement time.
 */
export type Observation =
  | { type: 'telemetry', device: string, gateway: string, msg: Telemetry, receivedAt: number }
  /** `device` is absent for a gateway's own status (its last will marks all its devices offline). */
  | { type: 'status', client: string, device?: string, status: Status, receivedAt: number }
  | { type: 'heartbeat', client: string, device?: string, heartbeat: Heartbeat, receivedAt: number }
