import { createServer, connect, type AddressInfo, type Socket } from 'node:net'

/** A TCP relay in front of a server, whose link can be cut and restored: a flaky uplink. */
export interface TcpProxy {
  port: number
  /** Drops every relayed connection and refuses new ones until `restore()`. */
  cut: () => void
  restore: () => void
  close: () => Promise<void>
}

export async function startTcpProxy (targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<Socket>()
  let down = false
  const server = createServer((inbound) => {
    if (down) { inbound.destroy(); return }
    const outbound = connect(targetPort, targetHost)
    pairs.add(inbound)
    pairs.add(outbound)
    const drop = (): void => { inbound.destroy(); outbound.destroy(); pairs.delete(inbound); pairs.delete(outbound) }
    inbound.on('error', drop).on('close', drop)
    outbound.on('error', drop).on('close', drop)
    inbound.pipe(outbound)
    outbound.pipe(inbound)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    cut () {
      down = true
      for (const s of pairs) s.destroy()
      pairs.clear()
    },
    restore () { down = false },
    close: async () => {
      down = true
      for (const s of pairs) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
