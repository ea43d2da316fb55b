import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { generateCommunity, runSimulation, type ProgressSnapshot } from '../src/index.ts'
import { MONDAY_MIDNIGHT } from './support/drive-model.ts'

const community = generateCommunity({ seed: 2, buildings: 3, devices: 200 })
const log = pino({ level: 'silent' })

describe('runSimulation (dry run)', () => {
  it('holds the --rate cap and reports the lag instead of skipping messages', async () => {
    const lines: string[] = []
    const progress: ProgressSnapshot[] = []
    const summary = await runSimulation({
      community, seed: 1, startMs: MONDAY_MIDNIGHT + 8 * 3_600_000, speed: 600, durationMs: 1_000, rate: 300, log,
      dryRun: { write: (l) => lines.push(l), sampleEvery: 1 }, onProgress: (p) => progress.push(p), progressIntervalMs: 200
    })
    // 300/s for ~1 s plus the bucket's initial burst (a tenth of a second's worth).
    expect(summary.sent).toBeLessThanOrEqual(300 * summary.wallS + 30 + 1)
    expect(summary.sent).toBeGreaterThan(200)
    // At ×600 the community wants thousands of messages a second: the schedule slips, and says so.
    expect(summary.lag.maxSimS).toBeGreaterThan(60)
    expect(progress.at(-1)!.lagS).toBeGreaterThan(60)
    // Nothing skipped: every device's stream is 0, 1, 2, ... up to where the run stopped.
    const seqs = new Map<string, number[]>()
    for (const l of lines) {
      const m = JSON.parse(l) as { topic: string; payload: { seq: number } }
      seqs.set(m.topic, [...(seqs.get(m.topic) ?? []), m.payload.seq])
    }
    for (const s of seqs.values()) expect(s).toEqual(s.map((_, i) => i))
  })

  it('stops when the signal aborts, counting every message it generated', async () => {
    const controller = new AbortController()
    const lines: string[] = []
    setTimeout(() => controller.abort(), 500)
    const summary = await runSimulation({
      community, seed: 1, startMs: MONDAY_MIDNIGHT, speed: 60, log, signal: controller.signal,
      dryRun: { write: (l) => lines.push(l), sampleEvery: 10 }
    })
    expect(summary.wallS).toBeLessThan(5)
    expect(lines.length).toBe(Math.ceil(summary.sent / 10))
    expect(Object.values(summary.perKind).reduce((a, b) => a + b, 0)).toBe(summary.sent)
  })

  it('refuses to run without a broker url unless dry', async () => {
    await expect(runSimulation({ community, seed: 1, startMs: MONDAY_MIDNIGHT, speed: 1, log })).rejects.toThrow(/url/)
  })
})
