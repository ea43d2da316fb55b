import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'

/** Connects a real mqtt.js client over TCP and resolves once CONNACK arrived (or rejects with its error). */
export async function connectClient (port: number, id: string, password: string, extra: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect({
    host: '127.0.0.1', port, protocolVersion: 4, clientId: id, username: id, password,
    reconnectPeriod: 0, connectTimeout: 5000, ...extra
  })
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => { resolve() })
    client.once('error', (err) => { client.end(true); reject(err) })
  })
  return client
}

/** Publishes at QoS 1 and resolves when the PUBACK arrives. */
export async function publishAcked (client: MqttClient, topic: string, payload: string | Buffer): Promise<void> {
  await client.publishAsync(topic, payload, { qos: 1 })
}

/** Resolves when the client's connection has closed (e.g. the broker dropped it). */
export async function closed (client: MqttClient): Promise<void> {
  if (client.disconnected || !client.connected) return
  await new Promise<void>((resolve) => client.once('close', () => { resolve() }))
}
