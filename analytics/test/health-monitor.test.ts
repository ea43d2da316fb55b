import { readFileSync } from 'node:fs'
import { AlertSchema, alertKey, CommunitySchema, type CommunityInput, type Telemetry } from '@gangwan/contracts'
import pino from 'pino'
import { describe, expect, test } from 'vitest'
import type { CommunityContext } from '../src/core/context.ts'
import { createCommunityContext } from '../src/core/create-community-context.ts'
import { createWatermark } from '../src/core/create-watermark.ts'
import type { Observation } from '../src/core/observation.ts'
import type { Signal } from '../src/core/signal.ts'
import { createHealthMonitor, type HealthMonitor } from '../src/health/create-health-monitor.ts'

/** Measurement epoch (2025-11-22T08:26:40Z) and, deliberately unrelated, the hub's wall clock then. */
const T0 = 1_763_800_000_000
const W0 = 1_700_000_000_000
const S = 1000
const MIN = 60 * S

/** The context of test-support/fixtures/mini-community.json, with site settings on top. */
function miniContext (analytics: CommunityInput['analytics'] = {}): CommunityContext {
  const raw = JSON.parse(readFileSync(new URL('../../test-support/fixtures/mini-community.json', import.meta.url), 'utf8'))
  return createCommunityContext(CommunitySchema.parse({ ...raw, analytics }), pino({ level: 'silent' }))
}

type Make = (seq: number, ts: number) => Telemetry | null
interface Source { id: string, client: string, everyMs: number, phaseMs: number, make: Make }

// Every reading moves a little, as live sensors do (no flat lines in a healthy stream).
const SOURCES: Source[] = [
  ...['B01-F12-S01', 'B01-F12-S02'].map((id, i): Source => ({
    id, client: 'GW-B01', everyMs: MIN, phaseMs: (3 + 14 * i) * S,
    make: (seq, ts) => ({ kind: 'fire', seq, ts, smokeDbM: 0.01 + (seq % 7) / 1000, temperatureC: 22 + (seq % 9) / 10, alarm: false, fault: false, tamper: false })
  })),
  { id: 'E-B01-1-C', client: 'GW-B01', everyMs: 10 * S, phaseMs: S, make: (seq, ts) => ({ kind: 'elevator', seq, ts, floor: 1 + (seq % 30), direction: 'stop', speedMps: 0, door: 'closed', inDoorZone: true, passenger: false, mode: 'normal', faultCodes: [] }) },
  { id: 'R01-FM', client: 'GW-B01', everyMs: MIN, phaseMs: 29 * S, make: (seq, ts) => ({ kind: 'fume', seq, ts, fumeMgM3: 0.5 + (seq % 11) / 100, particulateMgM3: 1, nmhcMgM3: 3, fanCurrentA: 3, fanOn: true, purifierCurrentA: 1, purifierOn: true }) },
  { id: 'N-G01-01', client: 'N-G01-01', everyMs: MIN, phaseMs: 41 * S, make: (seq, ts) => ({ kind: 'noise', seq, ts, intervalS: 60, leq: 50 + (seq % 11) / 10, lmax: 70, lmin: 40, l10: 58, l50: 52, l90: 45, valid: true }) },
  // Heartbeats of the two MQTT clients: the gateway and the direct noise meter.
  { id: 'GW-B01', client: 'GW-B01', everyMs: MIN, phaseMs: 7 * S, make: () => null },
  { id: 'N-G01-01', client: 'N-G01-01', everyMs: MIN, phaseMs: 53 * S, make: () => null }
]

/** Offsets from T0 in ms; `id` is a device, or a client for everything through it. */
interface Span { id: string, fromMs: number, toMs?: number }
interface StreamOptions {
  untilMs: number
  /** Measurement ms per wall ms (a simulator replaying 60× has 60). */
  speed?: number
  /** Delivery jitter, wall ms, uniform in ±jitterMs (seeded). */
  jitterMs?: number
  /** Device clocks off by `ms` during the span. */
  skew?: (Span & { ms: number })[]
  /** Messages produced in the span never arrive (the device keeps counting seq). */
  lost?: Span[]
  /** Messages produced in the span arrive together at its end (a gateway spool's backfill). */
  delayed?: (Span & { toMs: number })[]
  /** Status messages at offsets from T0 (a last will carries no ts). */
  status?: { atMs: number, client: string, device?: string, state: 'online' | 'offline', reason?: string }[]
  /** Each client's messages arrive in the order it sent them, as over one MQTT connection (a FIFO queue). */
  fifo?: boolean
}

/** A deterministic stream of the mini community, in delivery (receivedAt) order. */
function stream (o: StreamOptions): Observation[] {
  const speed = o.speed ?? 1
  let seed = 42
  const jitter = (): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return ((seed / 2 ** 31) * 2 - 1) * (o.jitterMs ?? 0) }
  const wall = (offsetMs: number): number => W0 + offsetMs / speed
  const inSpan = (spans: Span[] | undefined, src: Source, t: number) => spans?.find((x) => (x.id === src.id || x.id === src.client) && t >= x.fromMs && t < (x.toMs ?? Infinity))
  const out: Observation[] = []
  /** When each message was sent (offset from T0): a skewed clock does not change that. */
  const sentAt = new Map<Observation, number>()
  for (const src of SOURCES) {
    let seq = 0
    for (let t = src.phaseMs; t < o.untilMs; t += src.everyMs) {
      const n = seq++
      if (inSpan(o.lost, src, t)) continue
      const ts = T0 + t + (o.skew?.filter((x) => x.id === src.id && t >= x.fromMs && t < (x.toMs ?? Infinity)).reduce((a, x) => a + x.ms, 0) ?? 0)
      const late = inSpan(o.delayed, src, t) as { toMs: number } | undefined
      const receivedAt = Math.round(late ? wall(late.toMs) + n : wall(t) + jitter())
      const msg = src.make(n, ts)
      const obs: Observation = msg === null
        ? { type: 'heartbeat', client: src.client, heartbeat: { seq: n, ts, uptimeS: Math.floor(t / S) }, receivedAt }
        : { type: 'telemetry', device: src.id, gateway: src.client, msg, receivedAt }
      out.push(obs)
      sentAt.set(obs, t)
    }
  }
  if (o.fifo === true) {
    // Per client, nothing overtakes what was sent before it.
    const clientOf = (x: Observation): string => x.type === 'telemetry' ? x.gateway : x.client
    const latest = new Map<string, number>()
    for (const x of [...out].sort((a, b) => sentAt.get(a)! - sentAt.get(b)!)) {
      x.receivedAt = Math.max(x.receivedAt, latest.get(clientOf(x)) ?? -Infinity)
      latest.set(clientOf(x), x.receivedAt)
    }
  }
  for (const s of o.status ?? []) {
    out.push({ type: 'status', client: s.client, ...(s.device ? { device: s.device } : {}), status: { state: s.state, ...(s.reason ? { ts: T0 + s.atMs, reason: s.reason } : {}) }, receivedAt: Math.round(wall(s.atMs)) })
  }
  return out.sort((a, b) => a.receivedAt - b.receivedAt)
}

/**
 * Feeds a stream as the pipeline does: observe, advance the watermark, tick every second up to it.
 * The pipeline's watermark is the 3rd latest device time (`k` 3): it stalls while fewer than 3
 * devices report, as in the mini community with its gateway down; `k` 1 keeps it ticking, as a
 * larger site's other gateways would.
 */
function run (health: HealthMonitor, observations: Observation[], k = 3): Signal[] {
  const watermark = createWatermark(k)
  const signals: Signal[] = []
  let next: number | undefined
  for (const obs of observations) {
    signals.push(...health.observe(obs))
    if (obs.type === 'status') continue
    const w = watermark.advance(obs.type === 'telemetry' ? obs.device : obs.device ?? obs.client, obs.type === 'telemetry' ? obs.msg.ts : obs.heartbeat.ts)
    next ??= Math.floor(w / S) * S + S
    for (; next <= w; next += S) signals.push(...health.tick(next))
  }
  return signals
}

const summary = (signals: Signal[]): string[] => signals.map((s) => `${s.active ? '+' : '-'}${s.ruleId} ${s.subject}`)
const active = (signals: Signal[], ruleId: string) => signals.filter((s): s is Extract<Signal, { active: true }> => s.active && s.ruleId === ruleId)

/** Every raised signal must make a schema-valid alert once the book adds its bookkeeping. */
function expectValidAlerts (signals: Signal[]): void {
  for (const s of signals) {
    if (!s.active) continue
    const { active: _a, at, holdMs: _h, ...draft } = s
    AlertSchema.parse({ ...draft, key: alertKey(s.ruleId, s.subject, at), state: 'open', openedAt: at, lastSeenAt: at, count: 1, flapping: false, detectedAt: at, version: 1 })
  }
}

describe('health monitor: offline', () => {
  test('nothing heard since start: the gateway and the direct meter go offline after 3 intervals from the first tick, not before', () => {
    const health = createHealthMonitor(miniContext())
    expect(health.tick(T0)).toEqual([])
    expect(health.tick(T0 + 3 * MIN)).toEqual([])
    const signals = health.tick(T0 + 3 * MIN + S)
    expect(summary(signals)).toEqual(['+health.gateway-offline GW-B01', '+health.offline N-G01-01'])
    expect(active(signals, 'health.gateway-offline')[0]!.trigger.values).toMatchObject({ cause: 'silence', devicesBehind: 5, lastSeenAt: null })
    expect(health.tick(T0 + 30 * MIN)).toEqual([])
    expectValidAlerts(signals)
  })

  const lastWill = (client: string, atMs: number, backMs: number) => [
    { atMs, client, state: 'offline' as const }, { atMs: backMs, client, state: 'online' as const }
  ]
  const blipGap = Array(4).fill('+health.seq-gap GW-B01')
  test.each<{ name: string, o: Omit<StreamOptions, 'untilMs'>, expected: string[] }>([
    { name: 'a healthy stream raises nothing', o: {}, expected: [] },
    {
      name: 'a detector silent while its gateway reports: its own alert, cleared by its next report (the seq gap is that outage)',
      o: { lost: [{ id: 'B01-F12-S01', fromMs: 2 * MIN, toMs: 12 * MIN }] },
      expected: ['+health.offline B01-F12-S01', '-health.offline B01-F12-S01']
    },
    {
      name: 'a silent gateway: one gateway alert, none for the 5 devices behind it, cleared by its return',
      o: { lost: [{ id: 'GW-B01', fromMs: 5 * MIN, toMs: 20 * MIN }] },
      expected: ['+health.gateway-offline GW-B01', '-health.gateway-offline GW-B01']
    },
    {
      name: 'a gateway last will: one gateway alert at once, none for its devices',
      o: { lost: [{ id: 'GW-B01', fromMs: 5 * MIN, toMs: 20 * MIN }], status: lastWill('GW-B01', 5 * MIN + 500, 20 * MIN) },
      expected: ['+health.gateway-offline GW-B01', '-health.gateway-offline GW-B01']
    },
    {
      name: 'a device still silent after its gateway returned: its own alert, counted from the return',
      o: { lost: [{ id: 'GW-B01', fromMs: 5 * MIN, toMs: 20 * MIN }, { id: 'E-B01-1-C', fromMs: 5 * MIN }], status: lastWill('GW-B01', 5 * MIN + 500, 20 * MIN) },
      expected: ['+health.gateway-offline GW-B01', '-health.gateway-offline GW-B01', '+health.offline E-B01-1-C']
    },
    {
      name: 'a direct device\'s last will is its own offline alert',
      o: { lost: [{ id: 'N-G01-01', fromMs: 5 * MIN, toMs: 10 * MIN }], status: lastWill('N-G01-01', 5 * MIN + 500, 10 * MIN) },
      expected: ['+health.offline N-G01-01', '-health.offline N-G01-01']
    },
    {
      name: 'a 2-minute gateway blip (under its 3-minute limit): no offline alert; the 4 devices\' lost data is one gap alert on the gateway',
      o: { lost: [{ id: 'GW-B01', fromMs: 5 * MIN, toMs: 7 * MIN + 2 * S }] },
      expected: [...blipGap, '-health.seq-gap GW-B01']
    },
    {
      name: 'a planned shutdown (status reason shutdown) and back within the limit: no offline alert',
      o: { lost: [{ id: 'GW-B01', fromMs: 5 * MIN, toMs: 7 * MIN + 2 * S }], status: [{ atMs: 5 * MIN, client: 'GW-B01', state: 'offline', reason: 'shutdown' }] },
      expected: [...blipGap, '-health.seq-gap GW-B01']
    },
    {
      name: 'a planned shutdown not followed by a return within the limit: raised once the limit has passed',
      o: { lost: [{ id: 'GW-B01', fromMs: 5 * MIN, toMs: 20 * MIN }], status: [{ atMs: 5 * MIN, client: 'GW-B01', state: 'offline', reason: 'shutdown' }] },
      expected: ['+health.gateway-offline GW-B01', '-health.gateway-offline GW-B01']
    },
    {
      name: 'two lost reports without an outage: a seq gap, cleared after 10 in-order reports',
      o: { lost: [{ id: 'B01-F12-S01', fromMs: 2 * MIN, toMs: 3 * MIN + 30 * S }] },
      expected: ['+health.seq-gap B01-F12-S01', '-health.seq-gap B01-F12-S01']
    }
  ])('$name', ({ o, expected }) => {
    for (const k of [3, 1]) {
      const signals = run(createHealthMonitor(miniContext()), stream({ untilMs: 30 * MIN, ...o }), k)
      expect(summary(signals), `watermark k=${k}`).toEqual(expected)
      expectValidAlerts(signals)
    }
  })

  test('times and explanations: detector P3 three intervals after its last report; last will at once with devices behind', () => {
    const lost = run(createHealthMonitor(miniContext()), stream({ untilMs: 30 * MIN, lost: [{ id: 'B01-F12-S01', fromMs: 2 * MIN, toMs: 12 * MIN }] }))
    // Last report at 1:03; offline once more than 3 × 60 s have passed: the 4:04 tick.
    expect(active(lost, 'health.offline')[0]).toMatchObject({ at: T0 + 4 * MIN + 4 * S, severity: 'P3', location: { building: 'B01', floor: 12, zone: 'B01-F12' } })
    expect(lost.find((s) => !s.active)).toMatchObject({ at: T0 + 12 * MIN + 3 * S })

    const will = run(createHealthMonitor(miniContext()), stream({
      untilMs: 30 * MIN, lost: [{ id: 'GW-B01', fromMs: 5 * MIN, toMs: 20 * MIN }, { id: 'E-B01-1-C', fromMs: 5 * MIN }], status: lastWill('GW-B01', 5 * MIN + 500, 20 * MIN)
    }))
    expect(active(will, 'health.gateway-offline')[0]).toMatchObject({
      at: T0 + 5 * MIN + 500, severity: 'P3', location: { grid: 'G01', building: 'B01' },
      trigger: { values: { cause: 'last-will', devicesBehind: 5, devicesAlreadyOffline: 0 } }
    })
    // The lift stays silent after the 20:00 return: offline after 3 × 10 s counted from then.
    expect(active(will, 'health.offline')[0]).toMatchObject({ at: T0 + 20 * MIN + 31 * S, severity: 'P4' })
  })
})

describe('health monitor: a 600× replay (delivery jitter is 600 times longer in measurement time)', () => {
  // One MQTT connection per client, each with its own queue: ±100 ms of jitter (a minute of
  // measurement time), and once a 1.5 s stall of the gateway's connection (15 minutes).
  const jittery: Omit<StreamOptions, 'untilMs'> = { speed: 600, jitterMs: 100, fifo: true, delayed: [{ id: 'GW-B01', fromMs: 40 * MIN, toMs: 55 * MIN }] }

  test('jitter and a short stall raise nothing; without the wall-clock budgets they would', () => {
    const signals = run(createHealthMonitor(miniContext()), stream({ untilMs: 90 * MIN, ...jittery }))
    expect(summary(signals)).toEqual([])
    const strict = run(createHealthMonitor(miniContext({ health: { deliveryStallMs: 1, arrivalJitterMs: 1 } })), stream({ untilMs: 90 * MIN, ...jittery }))
    expect(active(strict, 'health.gateway-offline').length).toBeGreaterThan(0)
    expect(active(strict, 'health.clock-skew').length).toBeGreaterThan(0)
  })

  test('a real outage (50 minutes, 5 s of wall time) is still raised, once 600 × 2 s have passed, and cleared', () => {
    const signals = run(createHealthMonitor(miniContext()), stream({ untilMs: 90 * MIN, ...jittery, delayed: [], lost: [{ id: 'GW-B01', fromMs: 10 * MIN, toMs: 60 * MIN }] }), 1)
    expect(summary(signals)).toEqual(['+health.gateway-offline GW-B01', '-health.gateway-offline GW-B01'])
    const [raised] = active(signals, 'health.gateway-offline')
    // Last heard just before 10:00; the limit is 600 × 2 s = 20 min (the slope is estimated: ±10 %).
    expect(raised!.at - (T0 + 10 * MIN)).toBeGreaterThan(18 * MIN)
    expect(raised!.at - (T0 + 10 * MIN)).toBeLessThan(23 * MIN)
    expect(raised!.trigger.values).toMatchObject({ cause: 'silence', limitMs: 3 * MIN })
  })

  test('a direct device (its own connection) 5 minutes ahead: its connection may be that late for all 9 wall seconds, so nothing', () => {
    const signals = run(createHealthMonitor(miniContext()), stream({ untilMs: 90 * MIN, ...jittery, skew: [{ id: 'N-G01-01', fromMs: 0, ms: 5 * MIN }] }), 1)
    expect(active(signals, 'health.clock-skew')).toEqual([])
  })

  test('a real skew (fume monitor 5 minutes ahead) is still raised', () => {
    const signals = run(createHealthMonitor(miniContext()), stream({ untilMs: 90 * MIN, ...jittery, skew: [{ id: 'R01-FM', fromMs: 0, ms: 5 * MIN }] }))
    expect(summary(signals)).toEqual(['+health.clock-skew R01-FM'])
    const [skew] = active(signals, 'health.clock-skew')
    expect(skew!.trigger.values.skewMs).toBeGreaterThan(4 * MIN)
    expect(skew!.trigger.values.allowedMs).toBeGreaterThan(50 * S)
  })
})

describe('health monitor: clock skew', () => {
  test.each<{ name: string, o: Omit<StreamOptions, 'untilMs'>, expected: string[] }>([
    { name: '60× replay, all clocks right', o: { speed: 60, jitterMs: 15 }, expected: [] },
    { name: '60× replay, fume monitor 20 s ahead', o: { speed: 60, jitterMs: 15, skew: [{ id: 'R01-FM', fromMs: 0, ms: 20 * S }] }, expected: ['+health.clock-skew R01-FM'] },
    { name: '60× replay, the chattiest device (lift, every 10 s) 15 s behind', o: { speed: 60, jitterMs: 15, skew: [{ id: 'E-B01-1-C', fromMs: 0, ms: -15 * S }] }, expected: ['+health.clock-skew E-B01-1-C'] },
    { name: '60× replay, 3 s off is within GB 50440\'s 5 s', o: { speed: 60, jitterMs: 15, skew: [{ id: 'R01-FM', fromMs: 0, ms: 3 * S }] }, expected: [] },
    // 100 ms of arrival jitter is 6 s at 60×: 8 s off is within what the arrival times can resolve (5 s + 6 s).
    { name: '60× replay, 8 s off is within the limit widened by 60 × 100 ms of arrival jitter', o: { speed: 60, jitterMs: 15, skew: [{ id: 'E-B01-1-C', fromMs: 0, ms: -8 * S }] }, expected: [] },
    { name: 'real time, detector 8 s behind', o: { jitterMs: 300, skew: [{ id: 'B01-F12-S02', fromMs: 0, ms: -8 * S }] }, expected: ['+health.clock-skew B01-F12-S02'] },
    // Judged against the community (no other source on its connection): 3 minutes of reports outlast `connectionLagMs`.
    { name: 'real time, the direct noise meter 20 s ahead', o: { jitterMs: 300, skew: [{ id: 'N-G01-01', fromMs: 0, ms: 20 * S }] }, expected: ['+health.clock-skew N-G01-01'] },
    {
      name: 'real time, a clock corrected after 15 min clears after 3 good messages',
      o: { skew: [{ id: 'R01-FM', fromMs: 0, toMs: 15 * MIN, ms: 20 * S }] },
      expected: ['+health.clock-skew R01-FM', '-health.clock-skew R01-FM']
    },
    {
      name: 'a spool backfill (10 min of readings at once) is late, not skewed',
      o: { delayed: [{ id: 'R01-FM', fromMs: 10 * MIN, toMs: 20 * MIN }] },
      expected: ['+health.offline R01-FM', '-health.offline R01-FM']
    }
  ])('$name', ({ o, expected }) => {
    const signals = run(createHealthMonitor(miniContext()), stream({ untilMs: 30 * MIN, ...o }))
    expect(summary(signals)).toEqual(expected)
    expectValidAlerts(signals)
  })

  test('the alert explains the skew and sits on the community clock, not the device\'s', () => {
    const signals = run(createHealthMonitor(miniContext()), stream({ untilMs: 30 * MIN, speed: 60, jitterMs: 15, skew: [{ id: 'R01-FM', fromMs: 0, ms: 20 * S }] }))
    const [skew] = active(signals, 'health.clock-skew')
    expect(skew!.trigger.values.skewMs).toBeGreaterThan(18 * S)
    expect(skew!.trigger.values.skewMs).toBeLessThan(22 * S)
    expect(Math.abs((skew!.trigger.values.deviceTs as number) - skew!.at - 20 * S)).toBeLessThan(2 * S)
  })
})
