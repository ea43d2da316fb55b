import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AlertSchema, alertKey } from '@gangwan/contracts'
import { createAnomalyStage, type AnomalyStage } from '../../src/models/create-anomaly-stage.ts'
import { ModelManifestSchema } from '../../src/models/model-manifest.ts'
import type { Signal } from '../../src/core/signal.ts'
import { deviceOf, log, MIN, MODELS_DIR, smallCommunity, stream, T0 } from './support.ts'

const { community, ctx } = smallCommunity()
const manifest = ModelManifestSchema.parse(JSON.parse(await readFile(join(MODELS_DIR, 'manifest.json'), 'utf8')))
const fireEntry = manifest.models.find((m) => m.kind === 'fire')!
const smoke = deviceOf(community, 'fire', (d) => d.detector === 'smoke')

let stage: AnomalyStage | undefined
afterEach(async () => { await stage?.close(); stage = undefined; vi.useRealTimers() })

async function open (opts: { batchSize?: number, maxDelayMs?: number } = {}): Promise<{ stage: AnomalyStage, signals: Signal[] }> {
  const signals: Signal[] = []
  stage = await createAnomalyStage({ modelsDir: MODELS_DIR, ctx, log, ...opts, onSignals: (s) => signals.push(...s) })
  return { stage, signals }
}

describe('anomaly stage', () => {
  it('loads one model per kind from the committed manifest', async () => {
    const { stage } = await open()
    expect(stage.models.map((m) => m.kind).sort()).toEqual(['elevator', 'falling_object', 'fire', 'fume', 'noise'])
  })

  it('runs N queued windows of one kind in ceil(N / batchSize) onnxruntime runs', async () => {
    const { stage } = await open({ batchSize: 4, maxDelayMs: 60_000 })
    const detectors = community.devices.filter((d) => d.kind === 'fire' && d.detector === 'smoke').slice(0, 10)
    // 30 one-minute reports fill one window (30 messages) per detector: 10 windows.
    for (const d of detectors) for (const msg of stream(community, d, T0, T0 + 30 * MIN - 1)) stage.observe(ctx.device(d.id)!, msg)
    expect(stage.stats().models['anomaly.fire']).toMatchObject({ windows: 10, queued: 2 })
    await stage.drain()
    expect(stage.stats().models['anomaly.fire']).toMatchObject({ windows: 10, runs: 3, queued: 0, errors: 0 })
  })

  it('sends a lone window after maxDelayMs without waiting for the batch to fill', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { stage } = await open({ batchSize: 64, maxDelayMs: 16 })
    for (const msg of stream(community, smoke, T0, T0 + 30 * MIN - 1)) stage.observe(ctx.device(smoke.id)!, msg)
    expect(stage.stats()).toMatchObject({ windows: 1, queued: 1 })
    vi.advanceTimersByTime(15)
    expect(stage.stats().queued).toBe(1)
    vi.advanceTimersByTime(1)
    expect(stage.stats().queued).toBe(0)
    await stage.drain()
    expect(stage.stats()).toMatchObject({ runs: 1, errors: 0 })
  })

  it('raises a stuck smoke sensor as device_health from the model, explained, then clears it', async () => {
    const { stage, signals } = await open({ batchSize: 8 })
    const faults = [{ type: 'stuck' as const, fromMs: T0 + 40 * MIN, untilMs: T0 + 120 * MIN, field: 'smokeDbM' }]
    for (const msg of stream(community, smoke, T0, T0 + 200 * MIN, faults)) stage.observe(ctx.device(smoke.id)!, msg)
    await stage.drain()
    const mine = signals.filter((s) => s.ruleId === 'anomaly.fire.stuck')
    // Level-triggered: active with every window while the class holds, then one clear.
    expect(mine.length).toBeGreaterThan(3)
    expect(mine.map((s) => s.active)).toEqual([...new Array<boolean>(mine.length - 1).fill(true), false])
    const raised = mine[0]!
    if (!raised.active) throw new Error('expected a raise first')
    expect(raised.at).toBeGreaterThan(T0 + 40 * MIN)
    expect(raised.at).toBeLessThan(T0 + 120 * MIN)
    expect(mine[mine.length - 1]!.at).toBeGreaterThan(T0 + 120 * MIN)
    expect(raised.trigger.values.windows).toBe(fireEntry.raiseAfter)
    expect(raised).toMatchObject({
      subject: smoke.id, device: smoke.id, kind: 'fire', category: 'device_health', severity: 'P4',
      source: { type: 'model', id: 'anomaly.fire', version: fireEntry.version, clause: 'anomaly model anomaly.fire (docs/models.md)' },
      location: { building: smoke.building, floor: smoke.floor, zone: smoke.zone }
    })
    expect(raised.source.score).toBeGreaterThanOrEqual(fireEntry.threshold)
    expect(raised.trigger.window.toMs - raised.trigger.window.fromMs).toBe(29 * MIN)
    // The draft makes a valid alert once the alert book adds its bookkeeping.
    const alert = { ...raised, key: alertKey(raised.ruleId, raised.subject, raised.at), state: 'open', openedAt: raised.at, lastSeenAt: raised.at, count: 1, flapping: false, detectedAt: raised.at, version: 1 }
    const { active: _a, at: _t, holdMs: _h, ...body } = alert
    expect(AlertSchema.safeParse(body).success).toBe(true)
    // Nothing else fired on this detector.
    expect(signals.filter((s) => s.ruleId !== 'anomaly.fire.stuck')).toEqual([])
  })

  it('raises a smouldering smoke rise under the alarm level in the fire category', async () => {
    const { stage, signals } = await open()
    const faults = [{ type: 'smoulder' as const, fromMs: T0 + 30 * MIN, rampMs: 40 * MIN, riseDbM: 0.025, temperatureRiseC: 1 }]
    const msgs = stream(community, smoke, T0, T0 + 75 * MIN, faults)
    expect(Math.max(...msgs.map((m) => m.smokeDbM!))).toBeLessThan(0.05)
    for (const msg of msgs) stage.observe(ctx.device(smoke.id)!, msg)
    await stage.drain()
    expect(signals.find((s) => s.active && s.ruleId === 'anomaly.fire.smoulder')).toMatchObject({ category: 'fire', severity: 'P3' })
  })

  it('leaves devices it cannot judge alone (a manual call point) and ignores messages after close', async () => {
    const { stage } = await open()
    const mcp = deviceOf(community, 'fire', (d) => d.detector === 'manual_call_point')
    for (const msg of stream(community, mcp, T0, T0 + 60 * MIN)) stage.observe(ctx.device(mcp.id)!, msg)
    expect(stage.stats().windows).toBe(0)
    await stage.close()
    for (const msg of stream(community, smoke, T0, T0 + 60 * MIN)) stage.observe(ctx.device(smoke.id)!, msg)
    expect(stage.stats().windows).toBe(0)
  })
})
