import { describe, expect, it } from 'vitest'
import { TelemetrySchema, type FireTelemetry } from '@gangwan/contracts'
import { createRng, deviceSeed, fireModel, generateCommunity } from '../src/index.ts'
import { DAY, driveModel, HOUR, mean, MONDAY_MIDNIGHT, seqsAreConsecutive, setupFor, shanghaiHour } from './support/drive-model.ts'

const community = generateCommunity({ seed: 1, buildings: 3, devices: 300 })
const devices = community.devices.filter((d) => d.kind === 'fire')
const byType = (t: string): string => devices.find((d) => d.kind === 'fire' && d.detector === t)!.id

describe('fire model', () => {
  const smokeId = byType('smoke')
  const month = driveModel(fireModel, setupFor<'fire'>(community, smokeId), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 30 * DAY)

  it('reports every 60 s of simulated time, with seq 0, 1, 2, ... and valid payloads', () => {
    expect(month.length).toBeGreaterThanOrEqual(30 * 24 * 60 - 1)
    expect(seqsAreConsecutive(month)).toBe(true)
    expect(new Set(month.slice(1).map((m, i) => m.ts - month[i]!.ts))).toEqual(new Set([60_000]))
    expect(month.filter((m) => !TelemetrySchema.safeParse(m).success)).toEqual([])
  })

  it('keeps a clean chamber near 0.005–0.02 dB/m, under the 0.05 dB/m type A threshold, and never alarms by itself', () => {
    const smoke = month.map((m) => m.smokeDbM!)
    expect(Math.max(...smoke)).toBeLessThan(0.05)
    expect(mean(smoke)).toBeGreaterThan(0.003)
    expect(mean(smoke)).toBeLessThan(0.025)
    expect(month.every((m) => !m.alarm && !m.fault && !m.tamper)).toBe(true)
  })

  it('drains the battery ~2 %/month, never rising', () => {
    const battery = month.map((m) => m.batteryPct!)
    expect(battery.slice(1).filter((b, i) => b > battery[i]!)).toEqual([])
    expect(battery[0]! - battery[battery.length - 1]!).toBeCloseTo(2, 0)
  })

  it('follows a diurnal indoor temperature: afternoons warmer than before dawn', () => {
    const at = (from: number, to: number): number => mean(month.filter((m) => shanghaiHour(m.ts) >= from && shanghaiHour(m.ts) < to).map((m) => m.temperatureC!))
    expect(at(14, 17)).toBeGreaterThan(at(3, 6) + 1)
    expect(at(14, 17)).toBeLessThan(30)
  })

  it('gives each detector type its own fields: manual call points no battery, heat detectors no smoke', () => {
    const mcp = driveModel(fireModel, setupFor<'fire'>(community, byType('manual_call_point')), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + HOUR)
    expect(mcp.every((m) => m.manualCall === false && m.batteryPct === undefined && m.smokeDbM === undefined)).toBe(true)
    const heat = driveModel(fireModel, setupFor<'fire'>(community, byType('heat')), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + HOUR)
    expect(heat.every((m) => m.smokeDbM === undefined && typeof m.temperatureC === 'number')).toBe(true)
    for (const m of [...mcp, ...heat]) expect(TelemetrySchema.safeParse(m).success).toBe(true)
  })

  it('sends an injected alarm at once, holds it for its window, then reads normally again', () => {
    const setup = setupFor<'fire'>(community, smokeId)
    const rng = createRng(deviceSeed(1, smokeId))
    let { state, nextMs } = fireModel.init(setup, MONDAY_MIDNIGHT, rng)
    const fromMs = MONDAY_MIDNIGHT + 10 * 60_000 + 12_345
    const injected = fireModel.inject!(state, { fromMs, untilMs: fromMs + 5 * 60_000, smokeDbM: 0.25, alarm: true })
    state = injected.state
    const out: FireTelemetry[] = []
    let wake = injected.wakeMs
    while (Math.min(nextMs, wake) < MONDAY_MIDNIGHT + 30 * 60_000) {
      const t = Math.min(nextMs, wake)
      wake = Infinity
      const r = fireModel.step(state, t, rng)
      out.push(...r.messages); state = r.state; nextMs = r.nextMs
    }
    const first = out.find((m) => m.alarm)!
    expect(first.ts).toBe(fromMs)
    expect(first.smokeDbM).toBe(0.25)
    expect(out.filter((m) => m.alarm).every((m) => m.ts >= fromMs && m.ts < fromMs + 5 * 60_000)).toBe(true)
    expect(out.filter((m) => m.ts >= fromMs + 5 * 60_000).every((m) => !m.alarm && m.smokeDbM! < 0.05)).toBe(true)
    expect(seqsAreConsecutive(out)).toBe(true)
  })

  it('is pure: stepping the same state twice with equal random sources gives equal results', () => {
    const setup = setupFor<'fire'>(community, smokeId)
    const { state, nextMs } = fireModel.init(setup, MONDAY_MIDNIGHT, createRng(7))
    const snapshot = JSON.stringify({ ...state, setup: undefined })
    const a = fireModel.step(state, nextMs, createRng(99))
    const b = fireModel.step(state, nextMs, createRng(99))
    expect(a.messages).toEqual(b.messages)
    expect(JSON.stringify({ ...state, setup: undefined })).toBe(snapshot)
  })
})
