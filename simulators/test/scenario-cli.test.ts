import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDeviceSimulation, type SimulationSummary } from '../src/index.ts'
import { groundTruth, loadScenario, TruthItemSchema } from '../src/scenarios/index.ts'
import { community, examplePath } from './scenario-support.ts'
import { runCli } from './support/run-cli.ts'

const dir = await mkdtemp(join(tmpdir(), 'gangwan-scenario-cli-'))
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe('the CLI with --scenario', () => {
  it('plays a scenario in --dry-run from its start to its end, and writes its ground truth', async () => {
    const truthFile = join(dir, 'truth.jsonl')
    const r = await runCli(['run', '--dry-run', '--scenario', examplePath('b03-fire'), '--truth', truthFile, '--speed', '36000',
      '--sample-every', '1000', '--json-summary', '--no-progress', '--log-level', 'error'], 60_000)
    expect(r.stderr).not.toContain('GW_ERR')
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    const summary = JSON.parse(lines.at(-1)!) as SimulationSummary
    const scenario = await loadScenario(examplePath('b03-fire'), community)
    expect(summary).toMatchObject({ dryRun: true, seed: 7, simStart: new Date(scenario.startMs).toISOString(), simEnd: new Date(scenario.endMs).toISOString() })
    // Every message due by the scenario's end went out, and nothing after it.
    const expected = createDeviceSimulation(community, { seed: scenario.seed, startMs: scenario.startMs, scenario }).pullUntil(scenario.endMs)
    expect(summary.sent).toBe(expected.length)
    expect(lines.slice(0, -1)).toEqual(expected.filter((_, i) => i % 1000 === 0).map((m) => JSON.stringify({ topic: m.topic, payload: m.payload })))
    const truth = (await readFile(truthFile, 'utf8')).trimEnd().split('\n').map((l) => TruthItemSchema.parse(JSON.parse(l)))
    expect(truth).toEqual(groundTruth(scenario, community))
  })

  it('exits 2 naming the incident and field of a bad scenario, and on --truth without --scenario', async () => {
    const bad = join(dir, 'bad.json')
    await writeFile(bad, JSON.stringify({ schemaVersion: 1, name: 'bad', start: '2026-11-23T09:00:00+08:00', duration: '1h', incidents: [{ id: 'lift', at: '+00:10', type: 'trapped_passenger', elevator: 'E-NOPE', for: '5m' }] }))
    const [invalid, lonely, missing] = await Promise.all([
      runCli(['run', '--dry-run', '--scenario', bad, '--no-progress']),
      runCli(['run', '--dry-run', '--truth', join(dir, 'x.jsonl'), '--no-progress']),
      runCli(['run', '--dry-run', '--scenario', join(dir, 'none.json'), '--no-progress'])
    ])
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(/GW_ERR_SCENARIO_INVALID: scenario "bad": incident "lift" \(incidents\.0\) elevator: no elevator "E-NOPE"/)
    expect(lonely.code).toBe(2)
    expect(lonely.stderr).toContain('GW_ERR_CONFIG_INVALID: --truth needs --scenario')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('GW_ERR_SCENARIO_INVALID: cannot read scenario file')
  })
})
