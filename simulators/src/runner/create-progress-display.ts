import cliProgress from 'cli-progress'
import type { ProgressSnapshot } from './simulation-summary.ts'

/** A single refreshing status line. */
export interface ProgressDisplay {
  update: (p: ProgressSnapshot) => void
  stop: () => void
}

/**
 * A cli-progress line on `stream` (stderr in the CLI, and only when it is a TTY): simulated time in
 * the community's time zone, messages sent, acknowledged and refused, throughput, lag, clients.
 */
export function createProgressDisplay (stream: NodeJS.WriteStream, timezone: string): ProgressDisplay {
  const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'medium' })
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'sim {sim} | sent {sent} | acked {acked} | refused {refused} | {rate} msg/s | lag {lag} s | clients {connected}/{clients}',
    hideCursor: false,
    clearOnComplete: false,
    fps: 4
  })
  const payload = (p: ProgressSnapshot): Record<string, string | number> => ({
    sim: fmt.format(p.simMs), sent: p.sent, acked: p.acked, refused: p.refused, rate: Math.round(p.msgPerS),
    lag: p.lagS.toFixed(1), connected: p.connected, clients: p.clients
  })
  let started = false
  return {
    update (p) {
      if (!started) { bar.start(1, 0, payload(p)); started = true } else bar.update(0, payload(p))
    },
    stop () { if (started) bar.stop() }
  }
}
