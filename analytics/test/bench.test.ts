import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { describe, expect, test } from 'vitest'
import { benchStage, type StageName } from '../bench/bench-stages.ts'
import { benchStream } from '../bench/bench-stream.ts'
import { measureStage } from '../bench/measure-stage.ts'

const srcDir = fileURLToPath(new URL('../src/', import.meta.url))
const modelsDir = fileURLToPath(new URL('../models/', import.meta.url))
const log = pino({ level: 'silent' })

describe('analytics/bench/observe.ts building blocks', () => {
  test('the fire load: ~1000 detectors without call points, reporting at the interval, gateway heartbeats among them', () => {
    // 30,000 reports at 2 s from ~1000 detectors: the first minute, when every gateway beats once.
    const { community, observations } = benchStream({ mode: 'fire', messages: 30_000, intervalMs: 2000 })
    expect(community.devices.length).toBeGreaterThan(900)
    expect(community.devices.every((d) => d.kind === 'fire' && d.detector !== 'manual_call_point')).toBe(true)
    expect(observations).toHaveLength(30_000)
    const tel = observations.filter((o) => o.type === 'telemetry')
    const first = tel.find((o) => o.device === tel[0]!.device && o !== tel[0])
    expect(first!.msg.ts - tel[0]!.msg.ts).toBe(2000)
    expect(new Set(observations.flatMap((o) => o.type === 'heartbeat' ? [o.client] : [])).size).toBe(community.gateways.length)
  })

  test.each(['health', 'rules', 'anomaly', 'pipeline'] as StageName[])('stage %s runs over the timed part and reports its cost', async (name) => {
    const { community, observations } = benchStream({ mode: 'fire', messages: 4000, intervalMs: 2000 })
    const stage = await benchStage(name, { community, log, srcDir, modelsDir })
    const cost = await measureStage(stage, observations, 1000)
    expect(cost.messages).toBe(3000)
    expect(cost.mainUs).toBeGreaterThan(0)
    expect(cost.processUs).toBeGreaterThanOrEqual(cost.mainUs * 0.5)
    expect(Number.isFinite(cost.gcMsPer1k)).toBe(true)
  })
})
