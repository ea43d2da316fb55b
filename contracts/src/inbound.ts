/**
 * A PUBLISH the broker has authenticated and authorised, handed to the hub's ingest before the
 * broker acknowledges it. `clientId` is the authenticated client: a gateway, or a device that
 * connects directly (and is then its own gateway).
 */
export interface InboundMessage {
  clientId: string
  topic: string
  payload: Buffer
  qos: 0 | 1 | 2
  retain: boolean
  /** Wall-clock arrival time at the broker, epoch ms. */
  receivedAt: number
}

/**
 * The seam between the broker and ingest (DESIGN decision 4). The broker calls `accept` for every
 * authorised PUBLISH and sends the PUBACK only after it settles: resolving means the message is
 * durable (or deliberately dropped and counted), so acknowledging it is safe; rejecting means it
 * could not be made durable, and the broker closes the connection without acknowledging, so the
 * client sends it again.
 */
export interface PublishSink {
  accept: (msg: InboundMessage) => Promise<void> | void
}
