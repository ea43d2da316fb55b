import { topics, type Heartbeat } from '@gangwan/contracts'

export interface HeartbeatDeps {
  gatewayId: string
  intervalS: () => number
  nextSeq: () => number
  spoolDepth: () => number
  /** Readings dropped since start: spool full and invalid. */
  drops: () => number
  /** Publishes when the uplink is up; rejects when it is down (the beat is skipped, not spooled). */
  publish: (topic: string, payload: Buffer) => Promise<void>
}

/**
 * The gateway's heartbeat (docs/protocol.md §8): spool depth, drops, CPU (per cent of one core,
 * summed over cores, since the previous beat) and resident memory. Heartbeats are not spooled:
 * one from an hour ago says nothing about now.
 */
export function createHeartbeat (deps: HeartbeatDeps): { beat: () => Promise<void>, reschedule: () => void, stop: () => void } {
  let timer: NodeJS.Timeout | undefined
  let lastCpu = process.cpuUsage()
  let lastAt = performance.now()

  function report (): Heartbeat {
    const cpu = process.cpuUsage(lastCpu)
    const at = performance.now()
    const cpuPct = Math.min(25_600, ((cpu.user + cpu.system) / 1000) / Math.max(1, at - lastAt) * 100)
    lastCpu = process.cpuUsage()
    lastAt = at
    return {
      seq: deps.nextSeq(),
      ts: Date.now(),
      uptimeS: Math.round(process.uptime()),
      spoolDepth: deps.spoolDepth(),
      drops: deps.drops(),
      cpuPct: Math.round(cpuPct * 10) / 10,
      memMb: Math.round(process.memoryUsage.rss() / 1048576 * 10) / 10
    }
  }

  async function beat (): Promise<void> {
    await deps.publish(topics.gatewayHeartbeat(deps.gatewayId), Buffer.from(JSON.stringify(report()))).catch(() => {})
  }

  function reschedule (): void {
    if (timer !== undefined) clearInterval(timer)
    timer = setInterval(() => { void beat() }, deps.intervalS() * 1000)
    timer.unref()
  }

  return { beat, reschedule, stop: () => { if (timer !== undefined) clearInterval(timer) } }
}
