import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { Aedes } from 'aedes'
import type { Logger } from 'pino'
import { topics } from '@gangwan/contracts'
import type { Intake } from '../../intake/create-intake.ts'
import type { Metrics } from '../../observe/create-metrics.ts'

export interface LocalListenerOptions {
  gatewayId: string
  host: string
  port: number
  users: Readonly<Record<string, string>> | undefined
  maxPayloadBytes: number
  intake: Intake
  metrics: Metrics
  log: Logger
}

/** The gateway's MQTT listener for devices on its LAN. */
export interface LocalListener {
  start: () => Promise<number>
  /** Publishes to local devices (commands, the sounder), QoS 1. */
  publish: (topic: string, payload: Buffer) => Promise<void>
  stop: () => Promise<void>
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && process.getBuiltinModule('node:crypto').timingSafeEqual(x, y)
}

/**
 * An aedes broker on the LAN. Devices publish on their v1 topics under this gateway
 * (`gangwan/v1/{gw}/d/{dev}/...`) and subscribe to their command topics. A PUBLISH is acknowledged
 * only after the intake made it durable: aedes sends the PUBACK once `authorizePublish` calls
 * back, so the spool append happens inside it (an error there closes the connection unacknowledged
 * and the device sends again). Invalid payloads are acknowledged and dead-lettered: resending them
 * would not make them valid.
 */
export function createLocalListener (opts: LocalListenerOptions): LocalListener {
  const { log, metrics } = opts
  let aedes: Aedes | undefined
  let server: Server | undefined
  const sockets = new Set<Socket>()

  return {
    async start () {
      const broker = await Aedes.createBroker({
        // An id of our own: aedes would otherwise draw a random one, loading node:crypto for nothing.
        id: `edge-${opts.gatewayId}`,
        maxClientsIdLength: 64,
        authenticate (client, username, password, done) {
          if (opts.users === undefined) { done(null, true); return }
          const expected = username === undefined ? undefined : opts.users[username]
          const ok = expected !== undefined && password !== undefined && same(expected, password.toString('utf8'))
          if (!ok) {
            metrics.inc('gangwan_edge_invalid_total', { reason: 'GW_ERR_AUTH_BAD_CREDENTIALS' })
            log.warn({ clientId: client.id, username }, 'local device refused: bad username or password')
            const err = Object.assign(new Error('bad username or password'), { returnCode: 4 })
            done(err, false)
            return
          }
          done(null, true)
        },
        authorizePublish (client, packet, done) {
          if (client === null) { done(null); return }
          const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
          const refuse = (reason: string): void => {
            log.warn({ clientId: client.id, topic: packet.topic, bytes: payload.length, code: reason }, 'local publish refused, connection closed')
            done(new Error(reason))
          }
          if (payload.length > opts.maxPayloadBytes) {
            metrics.inc('gangwan_edge_invalid_total', { reason: 'GW_ERR_MQTT_PAYLOAD_TOO_LARGE' })
            refuse('GW_ERR_MQTT_PAYLOAD_TOO_LARGE')
            return
          }
          opts.intake.fromLocal(packet.topic, payload).then((outcome) => {
            if (outcome === 'denied') refuse('GW_ERR_EDGE_TOPIC_DENIED')
            else done(null)
          }, (err: unknown) => {
            metrics.inc('gangwan_edge_errors_total', { code: 'GW_ERR_EDGE_SPOOL_FAILED' })
            log.error({ err, topic: packet.topic }, 'reading not durable: device not acknowledged')
            done(err as Error)
          })
        },
        authorizeSubscribe (client, sub, done) {
          // Devices may listen to their own command topics only.
          const parts = sub.topic.split('/')
          const ok = parts.length === 6 && sub.topic.startsWith(topics.namespace(opts.gatewayId)) && parts[3] === 'd' && parts[5] === 'cmd' && !/[#]/.test(parts[4]!)
          done(null, ok ? sub : null)
        }
      })
      broker.on('clientError', (client, err) => { log.debug({ clientId: client.id, err: err.message }, 'local client error') })
      aedes = broker
      const srv = createServer((socket) => {
        sockets.add(socket)
        socket.once('close', () => sockets.delete(socket))
        broker.handle(socket)
      })
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject)
        srv.listen(opts.port, opts.host, () => { srv.off('error', reject); resolve() })
      })
      server = srv
      const port = (srv.address() as AddressInfo).port
      log.info({ host: opts.host, port }, 'local MQTT listening')
      return port
    },
    async publish (topic, payload) {
      const broker = aedes
      if (broker === undefined) throw new Error('local listener not started')
      await new Promise<void>((resolve, reject) => {
        broker.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, (err) => { if (err) reject(err); else resolve() })
      })
    },
    async stop () {
      const srv = server
      server = undefined
      if (srv !== undefined) await new Promise<void>((resolve) => { srv.close(() => resolve()); for (const s of sockets) s.destroy() })
      const broker = aedes
      aedes = undefined
      if (broker !== undefined) await new Promise<void>((resolve) => broker.close(() => resolve()))
    }
  }
}
