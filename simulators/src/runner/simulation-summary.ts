/** Where a run stands, for a progress display; `lagS` is how far the messages trail the schedule, in simulated seconds. */
export interface ProgressSnapshot {
  simMs: number
  sent: number
  acked: number
  refused: number
  msgPerS: number
  lagS: number
  connected: number
  clients: number
  backlog: number
}

/** The closing summary of a run (`--json-summary` prints it as one JSON line). */
export interface SimulationSummary {
  dryRun: boolean
  seed: number
  speed: number
  qos: 0 | 1
  simStart: string
  /** Simulated time the schedule had reached when the run stopped. */
  simEnd: string
  wallS: number
  /** Telemetry and heartbeat messages handed to MQTT (in a dry run: generated). */
  sent: number
  /** Of those, acknowledged by PUBACK (QoS 1 only). */
  acked: number
  refused: {
    /** Connection refusals plus lost publishes. */
    total: number
    /** CONNACK refusals by return code, e.g. `{ "5": 12 }` (not authorised). */
    connections: Record<string, number>
    /** Publishes that failed or were unacknowledged when their connection closed at exit. */
    lostPublishes: number
  }
  /** Sent messages by device kind, plus `heartbeat`. */
  perKind: Record<string, number>
  clients: { total: number; everConnected: number; networkErrors: number }
  /** Generated but never handed to MQTT: waiting for a connection at exit, or dropped from a full backlog. */
  unsent: number
  dropped: number
  /** Retained `online`/`offline` status publishes (not in `sent`). */
  statusSent: number
  lag: { maxSimS: number; finalSimS: number }
}

const n = (x: number): string => x.toLocaleString('en-US')

/** The summary as a few human-readable lines. */
export function formatSummary (s: SimulationSummary): string {
  const kinds = Object.entries(s.perKind).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${n(v)}`).join(' · ')
  const codes = Object.entries(s.refused.connections).map(([c, v]) => `CONNACK ${c}: ${n(v)}`).join(', ') || 'none'
  return [
    `simulated ${s.simStart} → ${s.simEnd} in ${s.wallS.toFixed(1)} s (speed ×${s.speed}, seed ${s.seed}${s.dryRun ? ', dry run' : `, QoS ${s.qos}`})`,
    `sent ${n(s.sent)}  acknowledged ${n(s.acked)}  refused ${n(s.refused.total)} (connections: ${codes}; lost publishes: ${n(s.refused.lostPublishes)})`,
    `by kind: ${kinds || 'nothing'}`,
    s.dryRun ? '' : `clients: ${n(s.clients.everConnected)}/${n(s.clients.total)} connected; unsent ${n(s.unsent)}, dropped ${n(s.dropped)}`,
    `lag behind schedule: max ${s.lag.maxSimS.toFixed(1)} s, at exit ${s.lag.finalSimS.toFixed(1)} s (simulated)`
  ].filter((l) => l !== '').join('\n')
}
