import { cpuPct, quantile, type ProcSample } from './edge-proc-sampler.ts'

/** Times (ms since the epoch) that bound the phases of bench/edge.ts. */
export interface Phases {
  connectedAt: number
  steady: [number, number]
  /** From the cut to the restore. */
  outage: [number, number]
  /** From the restore to the first poll that saw the spool drained. */
  replay: [number, number]
}

export interface SummaryInput {
  devices: number
  intervalS: number
  outageS: number
  sync: string
  phases: Phases
  samples: ProcSample[]
  /** The agent's counters, polled every 250 ms from the restore on. */
  polls: Array<{ at: number, acked: number, depth: number }>
  depthAtRestore: number
  burst: { acked: number, failed: number, seconds: number }
  /** [published at, PUBACK latency ms, lane] of live readings. */
  liveAcks: Array<[number, number, number]>
  liveFailed: number
  /** The subscriber's view: [reading ts, receive − ts ms, lane, alarm] of live readings. */
  upstream: { perSecond: Array<[number, number]>, live: Array<[number, number, number, number]>, distinct: number }
  expected: number
  peakRssMb: number
  agentEnv: Record<string, string>
  agentNodeFlags: readonly string[]
  maxInflight: number
  probe: ProbeSample[] | undefined
}

/** A line of bench/edge-memory-probe.mjs (MB). */
export interface ProbeSample { at: number, rss: number, heapTotal: number, heapUsed: number, external: number, arrayBuffers: number, spaces: Record<string, number> }

/** The probe's sample at the steady-state median RSS and at the highest RSS. */
function memoryBreakdown (probe: ProbeSample[], steady: [number, number]): Record<string, unknown> {
  const view = (p: ProbeSample | undefined): Record<string, unknown> => p === undefined
    ? {}
    : { rss: p.rss, heapTotal: p.heapTotal, heapUsed: p.heapUsed, external: p.external, arrayBuffers: p.arrayBuffers, rssOutsideHeapAndExternal: r1(p.rss - p.heapTotal - p.external), spaces: p.spaces }
  const inSteady = probe.filter((p) => p.at >= steady[0] && p.at <= steady[1]).sort((a, b) => a.rss - b.rss)
  return { steadyMedian: view(inSteady[Math.floor(inSteady.length / 2)]), atMaxRss: view([...probe].sort((a, b) => b.rss - a.rss)[0]) }
}

/** Targets of the issue: RSS ≤ 64 MB; replay ≥ 10,000 readings/s without starving live traffic. */
export const TARGETS = {
  rssMb: 64,
  replayPerS: 10_000,
  // Live traffic is not starved when devices are still acknowledged promptly (a device's
  // retransmission timer is typically several seconds) and a live fire alarm reaches the hub
  // well inside the 10–20 s GB 50440-2007 allows from detector to display.
  southboundP99Ms: 1000,
  fireAlarmMaxMs: 10_000
}

const r1 = (x: number): number => Math.round(x * 10) / 10
const within = <T extends number[]>(xs: T[], [a, b]: [number, number]): T[] => xs.filter((x) => x[0]! >= a && x[0]! <= b)
const lat = (xs: number[]): { n: number, p50: number, p99: number, max: number } =>
  ({ n: xs.length, p50: r1(quantile(xs, 0.5)), p99: r1(quantile(xs, 0.99)), max: r1(xs.length === 0 ? Number.NaN : Math.max(...xs)) })
const rss = (s: ProcSample[]): { p50: number, max: number } => ({ p50: quantile(s.map((x) => x.rssMb), 0.5), max: Math.max(...s.map((x) => x.rssMb)) })

/** Turns the raw samples into the printed lines and the final JSON object. */
export function summarise (i: SummaryInput): { lines: string[], json: Record<string, unknown> } {
  const { phases, samples, polls } = i
  const inSteady = samples.filter((s) => s.at >= phases.steady[0] && s.at <= phases.steady[1])
  const inOutage = samples.filter((s) => s.at >= phases.outage[0] && s.at <= phases.outage[1])
  const inReplay = samples.filter((s) => s.at >= phases.replay[0] && s.at <= phases.replay[1])
  const south = (w: [number, number]): ReturnType<typeof lat> => lat(within(i.liveAcks, w).map((x) => x[1]))
  const liveUp = (w: [number, number], lane: number): ReturnType<typeof lat> => lat(within(i.upstream.live, w).filter((x) => x[2] === lane && x[3] === 0).map((x) => x[1]))
  const alarms = (w: [number, number]): number[] => within(i.upstream.live, w).filter((x) => x[3] === 1).map((x) => x[1])

  // Replay rate from the agent's acknowledged counter: from the last poll before the first
  // acknowledgement to the poll that saw the spool drained (reconnection excluded, to within 250 ms).
  const first = Math.max(1, polls.findIndex((p) => p.acked > polls[0]!.acked)) - 1
  const last = polls.length - 1
  const span = (polls[last]!.at - polls[first]!.at) / 1000
  const ackedPerS = Math.round((polls[last]!.acked - polls[first]!.acked) / span)
  // Slowest 5 s window, away from the reconnection and the tail (the interval in which it drained).
  let slowest = Number.NaN
  for (let a = first + 1; a < last; a++) {
    const b = polls.findIndex((p, j) => j > a && p.at - polls[a]!.at >= 5000)
    if (b < 0 || b >= last) break
    const rate = (polls[b]!.acked - polls[a]!.acked) / ((polls[b]!.at - polls[a]!.at) / 1000)
    if (!(rate >= slowest)) slowest = Math.round(rate)
  }
  const upPeak = Math.max(0, ...i.upstream.perSecond.filter(([s]) => s * 1000 >= phases.replay[0] && s * 1000 <= phases.replay[1]).map(([, n]) => n))

  const replayAlarms = lat(alarms(phases.replay))
  const replaySouth = south(phases.replay)
  const rssMax = Math.max(...samples.map((s) => s.rssMb))
  const steadyRss = rss(inSteady)
  const json = {
    benchmark: 'edge',
    devices: i.devices,
    readingsPerS: i.devices / i.intervalS,
    agentEnv: i.agentEnv,
    agentNodeFlags: i.agentNodeFlags,
    uplinkMaxInflight: i.maxInflight,
    spoolSync: i.sync,
    steady: {
      seconds: r1((phases.steady[1] - phases.steady[0]) / 1000),
      rssMb: steadyRss,
      anonMbP50: quantile(inSteady.map((s) => s.anonMb), 0.5),
      fileMbP50: quantile(inSteady.map((s) => s.fileMb), 0.5),
      cpuPct: cpuPct(inSteady),
      southboundAckMs: south(phases.steady),
      upstreamMs: { lifeSafety: liveUp(phases.steady, 0), normal: liveUp(phases.steady, 1) },
      fireAlarmMs: lat(alarms(phases.steady))
    },
    outage: {
      simulatedS: i.outageS,
      backlog: i.burst.acked,
      backlogFailed: i.burst.failed,
      burstPerS: Math.round(i.burst.acked / i.burst.seconds),
      spoolDepth: i.depthAtRestore,
      rssMbMax: rss(inOutage).max,
      cpuPct: cpuPct(inOutage),
      southboundAckMs: south(phases.outage)
    },
    replay: {
      seconds: r1((phases.replay[1] - phases.replay[0]) / 1000),
      reconnectS: r1((polls[first + 1]?.at ?? Number.NaN) / 1000 - phases.replay[0] / 1000),
      ackedPerS,
      backlogDrainPerS: Math.round(i.depthAtRestore / span),
      slowest5sPerS: slowest,
      upstreamPeakPerS: upPeak,
      rssMbMax: rss(inReplay).max,
      cpuPct: cpuPct(inReplay),
      southboundAckMs: replaySouth,
      upstreamMs: { lifeSafety: liveUp(phases.replay, 0), normal: liveUp(phases.replay, 1) },
      fireAlarmMs: replayAlarms
    },
    delivery: { expected: i.expected, receivedDistinct: i.upstream.distinct, undelivered: Math.max(0, i.expected - i.upstream.distinct), liveFailed: i.liveFailed },
    rssMbMax: rssMax,
    rssMbPeakHwm: i.peakRssMb,
    ...(i.probe === undefined ? {} : { memoryMb: memoryBreakdown(i.probe, phases.steady) }),
    targets: {
      ...TARGETS,
      // The issue sets the RSS target at steady state (500 devices at their normal rate): the median
      // of the steady window. Its highest sample and the peak of the outage and replay (bounded by
      // the heap cap and the uplink window, not by this target) are reported beside it.
      rssMet: steadyRss.p50 <= TARGETS.rssMb,
      steadyRssMaxMet: steadyRss.max <= TARGETS.rssMb,
      replayMet: ackedPerS >= TARGETS.replayPerS,
      liveNotStarved: replaySouth.p99 <= TARGETS.southboundP99Ms && replayAlarms.n > 0 && replayAlarms.max <= TARGETS.fireAlarmMaxMs
    }
  }
  const s = json.steady
  const rp = json.replay
  const lines = [
    `steady (${s.seconds} s, ${json.readingsPerS} readings/s): RSS p50 ${s.rssMb.p50} MB (anon ${s.anonMbP50}, file ${s.fileMbP50}), max ${s.rssMb.max} MB; CPU ${s.cpuPct} % of a core`,
    `steady: device PUBACK p50/p99 ${s.southboundAckMs.p50}/${s.southboundAckMs.p99} ms; upstream p50/p99 ${s.upstreamMs.normal.p50}/${s.upstreamMs.normal.p99} ms; fire alarm max ${s.fireAlarmMs.max} ms`,
    `outage: ${json.outage.backlog} readings (${i.outageS} s at ${json.readingsPerS}/s) spooled at ${json.outage.burstPerS}/s; depth ${json.outage.spoolDepth}; RSS max ${json.outage.rssMbMax} MB; CPU ${json.outage.cpuPct} %; device PUBACK p99 ${json.outage.southboundAckMs.p99} ms`,
    `replay: ${rp.seconds} s; ${rp.ackedPerS} acked/s (backlog drained at ${rp.backlogDrainPerS}/s, slowest 5 s ${rp.slowest5sPerS}/s, upstream peak ${rp.upstreamPeakPerS}/s); RSS max ${rp.rssMbMax} MB; CPU ${rp.cpuPct} %`,
    `replay, live: device PUBACK p50/p99/max ${rp.southboundAckMs.p50}/${rp.southboundAckMs.p99}/${rp.southboundAckMs.max} ms; upstream life-safety p50/max ${rp.upstreamMs.lifeSafety.p50}/${rp.upstreamMs.lifeSafety.max} ms, normal p50/max ${rp.upstreamMs.normal.p50}/${rp.upstreamMs.normal.max} ms; fire alarms (${rp.fireAlarmMs.n}) p50/max ${rp.fireAlarmMs.p50}/${rp.fireAlarmMs.max} ms`,
    `delivery: ${json.delivery.receivedDistinct} distinct of ${json.delivery.expected} acknowledged readings (${json.delivery.undelivered} undelivered); RSS max ${rssMax} MB, peak (VmHWM) ${i.peakRssMb} MB`,
    `targets: RSS ≤ ${TARGETS.rssMb} MB at steady state ${json.targets.rssMet ? 'met' : 'MISSED'} (p50 ${s.rssMb.p50} MB; steady max ${s.rssMb.max} MB ${json.targets.steadyRssMaxMet ? 'within' : 'above'}; outage/replay peak ${i.peakRssMb} MB); replay ≥ ${TARGETS.replayPerS}/s ${json.targets.replayMet ? 'met' : 'MISSED'}; live not starved ${json.targets.liveNotStarved ? 'met' : 'MISSED'}`
  ]
  if (json.memoryMb !== undefined) lines.push(`memory (MB): ${JSON.stringify(json.memoryMb)}`)
  return { lines, json }
}
