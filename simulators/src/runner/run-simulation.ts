import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import type { Community, CommunityInput } from '@gangwan/contracts'
import type { Scenario } from '../scenarios/scenario-schema.ts'
import { createDeviceSimulation, type ModelOptionsOverride, type SimMessage } from '../simulation/create-device-simulation.ts'
import { createMqttFleet, type FleetStats } from './mqtt-fleet.ts'
import type { ProgressSnapshot, SimulationSummary } from './simulation-summary.ts'
import { createTokenBucket } from './token-bucket.ts'

/** Options of {@link runSimulation}. */
export interface RunSimulationOptions {
  community: Community | CommunityInput
  seed: number
  /** Simulated start, epoch ms. */
  startMs: number
  /** Simulated seconds per wall second (60: an hour a minute). */
  speed: number
  /** Wall-clock run time; absent: until `signal` aborts. */
  durationMs?: number
  /** Cap on messages per second overall (token bucket). */
  rate?: number
  qos?: 0 | 1
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`; required unless `dryRun`. */
  url?: string
  /** Secrets by client id (the hub's `credentials.json`). */
  credentials?: Readonly<Record<string, string>>
  /** No MQTT: every `sampleEvery`-th message goes to `write` as a JSON line. */
  dryRun?: { write: (line: string) => void; sampleEvery: number }
  models?: ModelOptionsOverride
  heartbeatIntervalMs?: number
  /**
   * A scenario to play (`seed` and `startMs` must be its own): its incidents go out at their
   * simulated times, and the run stops once everything up to the scenario's end is sent.
   */
  scenario?: Scenario
  log: Logger
  signal?: AbortSignal
  onProgress?: (p: ProgressSnapshot) => void
  progressIntervalMs?: number
  connectRatePerS?: number
  /** How long to wait for outstanding acknowledgements at exit. */
  drainMs?: number
}

// Messages published per event-loop turn before yielding to socket I/O.
const BATCH = 2_000

/**
 * Runs a community's devices against a broker on a wall-clock schedule compressed by `speed`,
 * with one MQTT client per gateway and direct device. Messages are never skipped: when the schedule
 * cannot be met (CPU, `rate`, a slow broker) they go out late and the lag is reported. Resolves
 * with the closing summary once every client is closed.
 *
 * @example
 * const summary = await runSimulation({ community, seed: 1, startMs: Date.now(), speed: 60,
 *   durationMs: 30_000, url: 'mqtt://127.0.0.1:1883', credentials, log })
 */
export async function runSimulation (opts: RunSimulationOptions): Promise<SimulationSummary> {
  const { log, speed } = opts
  if (!(speed > 0)) throw new RangeError('speed must be positive')
  if (opts.dryRun === undefined && opts.url === undefined) throw new RangeError('a broker url is required unless dryRun is set')
  const qos = opts.qos ?? 1
  const sim = createDeviceSimulation(opts.community, {
    seed: opts.seed, startMs: opts.startMs, ...(opts.models ? { models: opts.models } : {}),
    ...(opts.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: opts.heartbeatIntervalMs } : {}),
    ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {})
  })
  let wall0 = performance.now()
  const endMs = opts.scenario?.endMs ?? Infinity
  const simAt = (wall: number): number => Math.min(endMs, opts.startMs + (wall - wall0) * speed)
  const creds = opts.credentials ?? {}
  const missing = sim.clients.filter((c) => creds[c.id] === undefined).length
  if (opts.dryRun === undefined && opts.credentials !== undefined && missing > 0) {
    log.warn({ missing, clients: sim.clients.length }, 'clients without a secret in the credentials file connect without a password')
  }
  const fleet = opts.dryRun === undefined
    ? createMqttFleet({
      url: opts.url!, qos, log: log.child({ component: 'mqtt-fleet' }), simNow: () => simAt(performance.now()),
      clients: sim.clients.map((c) => ({ id: c.id, ...(creds[c.id] !== undefined ? { password: creds[c.id]! } : {}) })),
      ...(opts.connectRatePerS !== undefined ? { connectRatePerS: opts.connectRatePerS } : {})
    })
    : undefined

  const dry = { sent: 0, byKind: {} as Record<string, number> }
  const emit = (m: SimMessage): void => {
    if (fleet !== undefined) {
      fleet.publish(m.clientId, m.topic, JSON.stringify(m.payload), m.kind)
      return
    }
    if (dry.sent % opts.dryRun!.sampleEvery === 0) opts.dryRun!.write(JSON.stringify({ topic: m.topic, payload: m.payload }))
    dry.sent++
    dry.byKind[m.kind] = (dry.byKind[m.kind] ?? 0) + 1
  }
  const fleetStats = (): FleetStats => fleet?.stats() ?? {
    sent: dry.sent, acked: 0, lostPublishes: 0, refusedConnections: {}, networkErrors: 0, connectedNow: 0, everConnected: 0,
    backlog: 0, dropped: 0, statusSent: 0, sentByTag: { ...dry.byKind }
  }

  let stopRequested = false
  let wake: (() => void) | undefined
  const requestStop = (): void => { stopRequested = true; wake?.() }
  if (opts.signal?.aborted === true) stopRequested = true
  opts.signal?.addEventListener('abort', requestStop, { once: true })
  const durationTimer = opts.durationMs !== undefined ? setTimeout(requestStop, opts.durationMs) : undefined

  let lagMs = 0
  let maxLagMs = 0
  let lagging = false
  let lastSent = 0
  let lastProgress = wall0
  const progress = (): void => {
    const now = performance.now()
    const st = fleetStats()
    const refused = Object.values(st.refusedConnections).reduce((a, b) => a + b, 0) + st.lostPublishes
    opts.onProgress?.({
      simMs: simAt(now), sent: st.sent, acked: st.acked, refused, msgPerS: ((st.sent - lastSent) * 1000) / Math.max(1, now - lastProgress),
      lagS: lagMs / 1000, connected: st.connectedNow, clients: sim.clients.length, backlog: st.backlog
    })
    lastSent = st.sent; lastProgress = now
  }
  const progressTimer = opts.onProgress !== undefined ? setInterval(progress, opts.progressIntervalMs ?? 500) : undefined
  const bucket = opts.rate !== undefined ? createTokenBucket(opts.rate) : undefined

  fleet?.start()
  if (fleet !== undefined) {
    // The simulated clock starts once every client is connected: compressed time turns a client
    // connecting a wall second late into minutes of silence, which the hub rightly reports.
    const n = await fleet.connected(30_000)
    if (n < sim.clients.length) log.warn({ connected: n, clients: sim.clients.length }, 'not every client connected within 30 s; starting anyway')
    wall0 = performance.now()
  }
  log.info({ clients: sim.clients.length, devices: sim.community.devices.length, speed, dryRun: fleet === undefined }, 'simulation started')
  let stopWall = wall0
  while (!stopRequested) {
    const now = performance.now()
    const simNow = simAt(now)
    const budget = Math.min(BATCH, bucket?.available() ?? BATCH)
    const batch = budget > 0 ? sim.pullUntil(simNow, budget) : []
    bucket?.take(batch.length)
    for (const m of batch) emit(m)
    const due = sim.peekMs()
    lagMs = due <= simNow ? simNow - due : 0
    maxLagMs = Math.max(maxLagMs, lagMs)
    // Say so when the schedule slips by more than 5 wall seconds, and when it is met again.
    if (!lagging && lagMs / speed > 5_000) { lagging = true; log.warn({ lagS: Math.round(lagMs / 1000) }, 'falling behind the schedule') }
    if (lagging && lagMs === 0) { lagging = false; log.info('caught up with the schedule') }
    stopWall = now
    // A scenario ends once its last simulated instant is reached and everything due by then is out.
    if (simNow >= endMs && due > endMs) requestStop()
    if (stopRequested) break
    if (due <= simNow) {
      const wait = bucket?.waitMs() ?? 0
      if (wait > 0) await new Promise<void>((resolve) => { wake = resolve; void sleep(wait).then(resolve) })
      else await nextTurn()
    } else {
      const wait = Math.max(1, Math.min(100, (due - simNow) / speed))
      await new Promise<void>((resolve) => { wake = resolve; void sleep(wait).then(resolve) })
    }
    wake = undefined
  }
  clearTimeout(durationTimer)
  opts.signal?.removeEventListener('abort', requestStop)
  const simEndMs = simAt(stopWall)
  await fleet?.stop({ drainMs: opts.drainMs ?? 10_000 })
  if (progressTimer !== undefined) { clearInterval(progressTimer); progress() }

  const st = fleetStats()
  const summary: SimulationSummary = {
    dryRun: fleet === undefined,
    seed: opts.seed,
    speed,
    qos,
    simStart: new Date(opts.startMs).toISOString(),
    simEnd: new Date(simEndMs).toISOString(),
    wallS: Math.round((performance.now() - wall0) / 100) / 10,
    sent: st.sent,
    acked: st.acked,
    refused: {
      total: Object.values(st.refusedConnections).reduce((a, b) => a + b, 0) + st.lostPublishes,
      connections: st.refusedConnections,
      lostPublishes: st.lostPublishes
    },
    perKind: st.sentByTag,
    clients: { total: sim.clients.length, everConnected: st.everConnected, networkErrors: st.networkErrors },
    unsent: st.backlog,
    dropped: st.dropped,
    statusSent: st.statusSent,
    lag: { maxSimS: Math.round(maxLagMs / 100) / 10, finalSimS: Math.round(lagMs / 100) / 10 }
  }
  log.info({ sent: summary.sent, acked: summary.acked }, 'simulation stopped')
  return summary
}
