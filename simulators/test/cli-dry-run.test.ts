import { describe, expect, it } from 'vitest'
import { TelemetrySchema } from '@gangwan/contracts'
import type { SimulationSummary } from '../src/index.ts'
import { runCli } from './support/run-cli.ts'

const dryRun = async (seed: string): Promise<{ lines: string[]; summary: SimulationSummary }> => {
  const r = await runCli(['--dry-run', '--seed', seed, '--speed', '600', '--duration', '1s', '--start', '2025-06-02T08:00:00+08:00', '--sample-every', '1', '--json-summary', '--no-progress'])
  expect(r.code).toBe(0)
  const lines = r.stdout.trim().split('\n')
  return { lines: lines.slice(0, -1), summary: JSON.parse(lines.at(-1)!) as SimulationSummary }
}

describe('the CLI in --dry-run', () => {
  it('prints the messages of the committed community as JSON lines, the same for the same seed and different for another', async () => {
    const [a, b, c] = await Promise.all([dryRun('1'), dryRun('1'), dryRun('2')])
    expect(a.summary.dryRun).toBe(true)
    expect(a.lines.length).toBe(a.summary.sent)
    expect(a.lines.length).toBeGreaterThan(1000)
    // Wall-clock pacing decides where each run stops; up to there the sequences are identical.
    const n = Math.min(a.lines.length, b.lines.length)
    expect(b.lines.slice(0, n)).toEqual(a.lines.slice(0, n))
    expect(c.lines.slice(0, 100)).not.toEqual(a.lines.slice(0, 100))
    const first = JSON.parse(a.lines[0]!) as { topic: string; payload: unknown }
    expect(first.topic).toMatch(/^gangwan\/v1\//)
    const telemetry = a.lines.map((l) => JSON.parse(l) as { topic: string; payload: unknown }).filter((m) => m.topic.endsWith('/telemetry'))
    expect(telemetry.filter((m) => !TelemetrySchema.safeParse(m.payload).success)).toEqual([])
  })

  it('exits 2 on bad input: no --url outside a dry run, a bad option value, a missing community file', async () => {
    const [noUrl, badSpeed, noFile] = await Promise.all([
      runCli(['--duration', '1s']),
      runCli(['--dry-run', '--speed', '-1']),
      runCli(['--dry-run', '--community', 'no-such-community.json'])
    ])
    expect(noUrl.code).toBe(2)
    expect(noUrl.stderr).toContain('GW_ERR_CONFIG_INVALID')
    expect(badSpeed.code).toBe(2)
    expect(badSpeed.stderr).toContain('--speed')
    expect(noFile.code).toBe(2)
    expect(noFile.stderr).toContain('GW_ERR_COMMUNITY_UNREADABLE')
  })
})
