/** Label values of one series, e.g. `{ reason: 'GW_ERR_EDGE_SCHEMA' }`. */
export type Labels = Record<string, string>

/**
 * The agent's counters and gauges, rendered in the Prometheus text format on its local `/metrics`.
 * Hand-written instead of prom-client: a gateway has 64 MB, and a dozen series need no registry.
 */
export interface Metrics {
  inc: (name: string, labels?: Labels, by?: number) => void
  /** A gauge read at render time. */
  gauge: (name: string, help: string, read: () => number) => void
  /** A counter kept elsewhere (e.g. by the spool), read at render time. */
  counterFrom: (name: string, help: string, read: () => number) => void
  get: (name: string, labels?: Labels) => number
  /** Sum over every label set of a counter. */
  total: (name: string) => number
  render: () => string
}

const HELP: Record<string, string> = {
  gangwan_edge_readings_total: 'Readings received from local devices, by source and outcome',
  gangwan_edge_invalid_total: 'Local messages refused (dead-lettered), by reason',
  gangwan_edge_uplink_published_total: 'Messages published to the hub',
  gangwan_edge_uplink_acked_total: 'Messages the hub acknowledged (PUBACK) and the spool forgot',
  gangwan_edge_uplink_connects_total: 'Uplink connection attempts, by outcome',
  gangwan_edge_commands_total: 'Commands from the hub, by name and outcome',
  gangwan_edge_sounder_switches_total: 'Local sounder switched, by state',
  gangwan_edge_errors_total: 'Errors, by code'
}

const key = (labels: Labels | undefined): string =>
  labels === undefined ? '' : Object.keys(labels).sort().map((k) => `${k}="${labels[k]!.replace(/["\\\n]/g, '_')}"`).join(',')

/** Creates an empty metrics registry. */
export function createMetrics (): Metrics {
  const counters = new Map<string, Map<string, number>>()
  const gauges: Array<{ name: string, help: string, type: 'gauge' | 'counter', read: () => number }> = []
  return {
    inc (name, labels, by = 1) {
      let series = counters.get(name)
      if (series === undefined) counters.set(name, series = new Map())
      const k = key(labels)
      series.set(k, (series.get(k) ?? 0) + by)
    },
    gauge (name, help, read) { gauges.push({ name, help, type: 'gauge', read }) },
    counterFrom (name, help, read) { gauges.push({ name, help, type: 'counter', read }) },
    get: (name, labels) => counters.get(name)?.get(key(labels)) ?? 0,
    total: (name) => [...(counters.get(name)?.values() ?? [])].reduce((a, b) => a + b, 0),
    render () {
      const out: string[] = []
      for (const [name, series] of counters) {
        out.push(`# HELP ${name} ${HELP[name] ?? name}`, `# TYPE ${name} counter`)
        for (const [k, v] of series) out.push(`${name}${k === '' ? '' : `{${k}}`} ${v}`)
      }
      for (const g of gauges) out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} ${g.type}`, `${g.name} ${g.read()}`)
      return out.join('\n') + '\n'
    }
  }
}
