import { CommunitySchema, type Community, type CommunityInput } from '@gangwan/contracts'
import { backgroundTruth } from './background-truth.ts'
import { prepareIncidents } from './incidents/prepare-incidents.ts'
import type { Scenario } from './scenario-schema.ts'
import type { TruthItem } from './truth-item.ts'

export { TruthItemSchema, TRUTH_TYPES, AlertPatternSchema, type TruthItem, type AlertPattern } from './truth-item.ts'

/**
 * The ground truth of a scenario run: one {@link TruthItem} per incident, in file order, then the
 * labelled background events (see {@link backgroundTruth}). A pure function of the scenario and
 * the community: the same seed, start and options give the same items the simulation realises.
 *
 * @example
 * const items = groundTruth(await loadScenario(file, community), community)
 * await writeFile('truth.jsonl', formatTruth(items))
 */
export function groundTruth (scenario: Scenario, communityInput: Community | CommunityInput): TruthItem[] {
  const community = CommunitySchema.parse(communityInput)
  return [...prepareIncidents(scenario, community).map((p) => p.truth), ...backgroundTruth(scenario, community)]
}

/**
 * Ground truth as JSON Lines, one item a line (what `--truth FILE` writes).
 *
 * @example formatTruth(items).split('\n')[0] // '{"id":"fire-1","type":"fire",...}'
 */
export function formatTruth (items: readonly TruthItem[]): string {
  return items.map((i) => `${JSON.stringify(i)}\n`).join('')
}
