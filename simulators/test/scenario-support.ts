import { resolve } from 'node:path'
import type { Community, Telemetry } from '@gangwan/contracts'
import { loadCommunity } from '../src/community/load-community.ts'
import { createDeviceSimulation, type SimMessage } from '../src/index.ts'
import { groundTruth, loadScenario, type Scenario, type ScenarioOverrides, type TruthItem } from '../src/scenarios/index.ts'
import { ROOT } from './support/run-cli.ts'

/** The committed Huaguoyuan community the example scenarios are written against. */
export const community: Community = await loadCommunity(resolve(ROOT, 'communities/huaguoyuan.json'))

/** Path of a committed example scenario. */
export const examplePath = (name: string): string => resolve(ROOT, 'simulators/scenarios', `${name}.json`)

/** An example scenario, its ground truth, and its message stream from the start to `untilMs` (default: its end). */
export async function playExample (name: string, opts: { untilMs?: (s: Scenario) => number, overrides?: ScenarioOverrides } = {}): Promise<{ scenario: Scenario, truth: TruthItem[], msgs: SimMessage[] }> {
  const scenario = await loadScenario(examplePath(name), community, opts.overrides)
  const sim = createDeviceSimulation(community, { seed: scenario.seed, startMs: scenario.startMs, scenario })
  return { scenario, truth: groundTruth(scenario, community), msgs: sim.pullUntil(opts.untilMs?.(scenario) ?? scenario.endMs) }
}

/** The telemetry of one device, in order. */
export function telemetryOf<K extends Telemetry['kind']> (msgs: readonly SimMessage[], deviceId: string, kind: K): Extract<Telemetry, { kind: K }>[] {
  return msgs.filter((m) => m.deviceId === deviceId && m.kind === kind).map((m) => m.payload as Extract<Telemetry, { kind: K }>)
}

/** The truth item of an incident. */
export function itemOf (truth: readonly TruthItem[], id: string): TruthItem {
  const item = truth.find((t) => t.id === id)
  if (item === undefined) throw new Error(`no truth item ${id}`)
  return item
}

/** Longest run of consecutive elements satisfying `ok`, as [first, last] of the run, or undefined. */
export function longestRun<T> (xs: readonly T[], ok: (x: T) => boolean): [T, T] | undefined {
  let best: [T, T] | undefined
  let bestLen = 0
  let start = -1
  xs.forEach((x, i) => {
    if (!ok(x)) { start = -1; return }
    if (start < 0) start = i
    if (i - start + 1 > bestLen) { bestLen = i - start + 1; best = [xs[start]!, x] }
  })
  return best
}

/** Length of the longest run of consecutive elements satisfying `ok`. */
export function longestRunLength<T> (xs: readonly T[], ok: (x: T) => boolean): number {
  let best = 0
  let run = 0
  for (const x of xs) { run = ok(x) ? run + 1 : 0; best = Math.max(best, run) }
  return best
}
