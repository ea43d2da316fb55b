import { createConnection, isIP, type Socket } from 'node:net'
import type { ConnectionOptions, TLSSocket } from 'node:tls'
import type { MqttClient } from 'mqtt'

export interface UplinkEndpoint {
  secure: boolean
  host: string
  port: number
  /** CA, client certificate and key (PEM) for `mqtts://`. */
  tls: Pick<ConnectionOptions, 'ca' | 'cert' | 'key'>
}

/** Where `mqtt://host[:port]` or `mqtts://host[:port]` points. */
export function parseUplinkUrl (url: string, tls: UplinkEndpoint['tls']): UplinkEndpoint {
  const u = new URL(url)
  const secure = u.protocol === 'mqtts:'
  return { secure, host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || (secure ? 8883 : 1883)), tls }
}

/**
 * The uplink's byte stream for mqtt.js's `MqttClient`, in place of `mqtt.connect()`'s transports:
 * `mqtt.connect()` loads its TLS and WebSocket transports (and with them Node's TLS stack, ~4 MB of
 * a gateway's memory) whatever the URL says. Here TLS is loaded only for `mqtts://`, through
 * `process.getBuiltinModule`, which a bundler leaves where it is.
 *
 * TLS always verifies the hub's certificate (against `ca` when given) and sends SNI for a host
 * name. A TLS failure (an unknown CA, a wrong host) reaches the client as an `error` event, so the
 * uplink logs why it was refused rather than only that the connection closed.
 */
export function uplinkStreamBuilder (endpoint: UplinkEndpoint): (client: MqttClient) => Socket | TLSSocket {
  return (client) => {
    if (!endpoint.secure) return createConnection({ host: endpoint.host, port: endpoint.port })
    const tls = process.getBuiltinModule('node:tls')
    const socket = tls.connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(isIP(endpoint.host) === 0 ? { servername: endpoint.host } : {}),
      rejectUnauthorized: true,
      ...endpoint.tls
    })
    const refused = (err: Error): void => {
      client.emit('error', err)
      socket.end()
    }
    socket.on('error', refused)
    socket.once('secureConnect', () => { socket.removeListener('error', refused) })
    return socket
  }
}
