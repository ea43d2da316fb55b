import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import { COMMAND_NAME_LABELS, type CommandNameLabel } from './command-args.ts'

/** How a command ended (label `outcome` of `gangwan_commands_total`); `evicted`: dropped from the recent ones while still pending. */
export type CommandOutcome = 'ok' | 'failed' | 'expired' | 'evicted'
const OUTCOMES: readonly CommandOutcome[] = ['ok', 'failed', 'expired', 'evicted']

/** Why an acknowledgement changed nothing (label `reason` of `gangwan_command_acks_ignored_total`). */
export type IgnoredAck = 'invalid' | 'unknown' | 'foreign' | 'late' | 'repeat'
const IGNORED: readonly IgnoredAck[] = ['invalid', 'unknown', 'foreign', 'late', 'repeat']

/** The command channel's metrics (DESIGN decision 10). */
export interface CommandMetrics {
  sent: (name: CommandNameLabel) => void
  ended: (name: CommandNameLabel, outcome: CommandOutcome) => void
  /** Seconds from publishing to the acknowledgement. */
  answered: (seconds: number) => void
  ignored: (reason: IgnoredAck) => void
}

/**
 * Registers the command metrics on the hub's registry, every label combination at zero so a
 * dashboard sees the series before the first command. `pending` reads the channel at scrape time.
 */
export function createCommandMetrics (registry: Registry, pending: () => number): CommandMetrics {
  const registers = [registry]
  const sent = new Counter({ name: 'gangwan_commands_sent_total', help: 'Commands published to gateways and devices', labelNames: ['name'], registers })
  const total = new Counter({ name: 'gangwan_commands_total', help: 'Commands that ended, by outcome (ok, failed: answered ok=false, expired: no answer in time, evicted)', labelNames: ['name', 'outcome'], registers })
  const ignored = new Counter({ name: 'gangwan_command_acks_ignored_total', help: 'Command acknowledgements that changed nothing, by reason (invalid payload, unknown id, foreign namespace, late, repeat)', labelNames: ['reason'], registers })
  const latency = new Histogram({ name: 'gangwan_command_ack_seconds', help: 'Time from publishing a command to its acknowledgement', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers })
  const gauge = new Gauge({ name: 'gangwan_commands_pending', help: 'Commands waiting for their acknowledgement', registers, collect () { gauge.set(pending()) } })
  for (const name of COMMAND_NAME_LABELS) {
    sent.labels(name).inc(0)
    for (const outcome of OUTCOMES) total.labels(name, outcome).inc(0)
  }
  for (const reason of IGNORED) ignored.labels(reason).inc(0)
  return {
    sent: (name) => { sent.labels(name).inc() },
    ended: (name, outcome) => { total.labels(name, outcome).inc() },
    answered: (seconds) => { latency.observe(seconds) },
    ignored: (reason) => { ignored.labels(reason).inc() }
  }
}
