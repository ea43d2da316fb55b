import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from 'vitest'
import pino from 'pino'
import { AlertSchema, CommunitySchema, type Alert, type ElevatorTelemetry } from '@gangwan/contracts'
import { createAlertQueue, type AlertQueue } from '@gangwan/dispatch'
import { createAnalytics, type Observation } from '../src/index.ts'

const community = CommunitySchema.parse(JSON.parse(readFileSync(new URL('../../test-support/fixtures/mini-community.json', import.meta.url), 'utf8')))
const log = pino({ level: 'silent' })
const T0 = Date.UTC(2026, 10, 23, 1, 0, 0)
const dirs: string[] = []
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }) })

async function queue (): Promise<AlertQueue> {
  const dir = await mkdtemp(join(tmpdir(), 'gangwan-analytics-'))
  dirs.push(dir)
  return createAlertQueue({ path: join(dir, 'dispatch.db'), log })
}

/** A lift that stops at floor 9 with a passenger and keeps its door shut, reporting every 10 s. */
function trappedRide (): ElevatorTelemetry[] {
  const base = { kind: 'elevator' as const, inDoorZone: true, passenger: true, mode: 'normal' as const, faultCodes: [] }
  const out: ElevatorTelemetry[] = []
  let seq = 0
  for (let s = 0; s < 10; s++) out.push({ ...base, seq: seq++, ts: T0 + s * 1000, floor: 1 + s, direction: 'up', speedMps: 1.5, door: 'closed', inDoorZone: false })
  for (let s = 10; s <= 200; s += 10) out.push({ ...base, seq: seq++, ts: T0 + s * 1000, floor: 10, direction: 'stop', speedMps: 0, door: 'closed' })
  out.push({ ...base, seq: seq++, ts: T0 + 205_000, floor: 10, direction: 'stop', speedMps: 0, door: 'open' })
  return out
}

/** Fire detectors reporting once a minute: they keep the community clock going. */
function detectors (untilS: number): { device: string, msg: Observation & { type: 'telemetry' } }[] {
  const out = []
  for (let s = 0; s <= untilS; s += 5) {
    for (const [i, device] of ['B01-F12-S01', 'B01-F12-S02', 'N-G01-01'].entries()) {
      const ts = T0 + s * 1000 + i
      const msg = device.startsWith('N')
        ? { kind: 'noise' as const, seq: s, ts, intervalS: 60, leq: 40, lmax: 45, lmin: 35, l10: 42, l50: 40, l90: 37, valid: true }
        : { kind: 'fire' as const, seq: s, ts, smokeDbM: 0.01, temperatureC: 22, alarm: false, fault: false, tamper: false, batteryPct: 90 }
      out.push({ device, msg: { type: 'telemetry' as const, device, gateway: device.startsWith('N') ? device : 'GW-B01', msg, receivedAt: 0 } })
    }
  }
  return out
}

function stream (): Observation[] {
  const lift = trappedRide().map((msg): Observation => ({ type: 'telemetry', device: 'E-B01-1-C', gateway: 'GW-B01', msg, receivedAt: 0 }))
  const all = [...lift, ...detectors(220).map((d) => d.msg)]
  return all.sort((a, b) => (a.type === 'telemetry' && b.type === 'telemetry' ? a.msg.ts - b.msg.ts : 0))
}

async function run (speed: number): Promise<Alert[]> {
  const q = await queue()
  const analytics = createAnalytics({}, { community, log, sink: q })
  await analytics.start()
  for (const obs of stream()) {
    // arrival on the wall clock, `speed` times faster than measurement time
    const receivedAt = obs.type === 'telemetry' ? Math.round(T0 + (obs.msg.ts - T0) / speed) : 0
    analytics.observe({ ...obs, receivedAt })
  }
  await analytics.flush()
  const alerts = await q.list({ limit: 1000 })
  await q.close()
  return alerts
}

describe('analytics pipeline into the dispatch queue', () => {
  test('a trapped passenger is one P1 alert, opened by the measurement clock and cleared when the door opens', async () => {
    const alerts = (await run(1)).map((a) => AlertSchema.parse(a))
    const trapped = alerts.filter((a) => a.ruleId.startsWith('elevator.trapped'))
    expect(trapped).toHaveLength(1)
    expect(trapped[0]).toMatchObject({ ruleId: 'elevator.trapped_at_landing', severity: 'P1', state: 'cleared', clearedAt: T0 + 205_000, location: { building: 'B01', elevator: 'E-B01-1', grid: 'G01' } })
    // stopped at 10 s, trapped once the door has stayed shut for 60 s more
    expect(trapped[0]!.openedAt).toBeGreaterThanOrEqual(T0 + 70_000)
    expect(trapped[0]!.openedAt).toBeLessThanOrEqual(T0 + 80_000)
  })

  test('replayed 60× faster, the same alerts open and clear at the same measurement times', async () => {
    const strip = (alerts: Alert[]): unknown[] => alerts.map(({ detectedAt: _d, ...rest }) => rest)
    expect(strip(await run(60))).toEqual(strip(await run(1)))
  })

  test('the same stream fed twice at once from two sources leaves one alert per rule and subject', async () => {
    const q = await queue()
    const analytics = createAnalytics({}, { community, log, sink: q })
    await analytics.start()
    const feed = async (): Promise<void> => {
      for (const obs of stream()) {
        analytics.observe({ ...obs, receivedAt: Date.now() })
        await Promise.resolve()
      }
    }
    await Promise.all([feed(), feed()])
    await analytics.flush()
    const alerts = await q.list({ limit: 1000 })
    const perRule = new Map<string, number>()
    for (const a of alerts) perRule.set(`${a.ruleId}|${a.subject}`, (perRule.get(`${a.ruleId}|${a.subject}`) ?? 0) + 1)
    expect([...perRule.values()].every((n) => n === 1)).toBe(true)
    expect(alerts.filter((a) => a.ruleId.startsWith('elevator.trapped'))).toHaveLength(1)
    await q.close()
  })
})
