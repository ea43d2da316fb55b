import { readFile } from 'node:fs/promises'
import { CommunitySchema, GangwanError, type Community, type CommunityInput } from '@gangwan/contracts'
import type { z } from 'zod'
import { prepareIncidents } from './incidents/prepare-incidents.ts'
import { ScenarioFileSchema, type Incident, type Scenario } from './scenario-schema.ts'
import { parseIsoTime, parseScenarioDuration, resolveScenarioTime } from './scenario-time.ts'

/** What a run may change in a scenario file: its seed and its start (relative times move with it). */
export interface ScenarioOverrides { seed?: number; startMs?: number }

const invalid = (message: string): GangwanError => new GangwanError('GW_ERR_SCENARIO_INVALID', message)

/** Zod issues as `incident "id" (incidents.i) field: message`, naming the incident by its id where it has one. */
function formatIssues (error: z.ZodError, input: unknown): string {
  const incidents = (input as { incidents?: unknown } | null)?.incidents
  return error.issues.map((issue) => {
    // An unknown key is named as the field, so a misspelling points at itself.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys.join(', ')] : [...issue.path]
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message
    if (path[0] === 'incidents' && typeof path[1] === 'number') {
      const raw = Array.isArray(incidents) ? (incidents[path[1]] as { id?: unknown } | undefined) : undefined
      const name = typeof raw?.id === 'string' ? `"${raw.id}"` : `#${path[1]}`
      return `incident ${name} (incidents.${path[1]}) ${path.slice(2).join('.') || '(incident)'}: ${message}`
    }
    return `${path.length > 0 ? path.join('.') : '(root)'}: ${message}`
  }).join('\n  ')
}

/**
 * Validates a scenario (the parsed JSON of a scenario file) against a community and resolves its
 * times: `start` and every `at` become epoch ms, every `for` an end (`untilMs`, the run's end when
 * open-ended). Checks that every device, building, floor, zone, elevator, restaurant and façade
 * exists and that each incident can meet its rule's conditions inside the run. Fails with
 * `GW_ERR_SCENARIO_INVALID` naming the incident id and field.
 *
 * @example const scenario = parseScenario(JSON.parse(text), community, { seed: 7 })
 */
export function parseScenario (input: unknown, communityInput: Community | CommunityInput, overrides: ScenarioOverrides = {}): Scenario {
  const community = CommunitySchema.parse(communityInput)
  const r = ScenarioFileSchema.safeParse(input)
  if (!r.success) {
    const name = (input as { name?: unknown } | null)?.name
    throw invalid(`scenario${typeof name === 'string' ? ` "${name}"` : ''} is invalid:\n  ${formatIssues(r.error, input)}`)
  }
  const file = r.data
  const where = `scenario "${file.name}"`
  const startMs = overrides.startMs ?? parseIsoTime(file.start)
  if (startMs === undefined) throw invalid(`${where} start: expected an ISO 8601 time with its offset, e.g. 2026-11-23T09:00:00+08:00`)
  const endMs = startMs + parseScenarioDuration(file.duration)!
  const seen = new Set<string>()
  const incidents = file.incidents.map((inc, i): Incident => {
    const name = `${where}: incident "${inc.id}" (incidents.${i})`
    if (seen.has(inc.id)) throw invalid(`${name} id: used by an earlier incident`)
    seen.add(inc.id)
    const atMs = resolveScenarioTime(inc.at, startMs, community.timezone)
    if (atMs === undefined) throw invalid(`${name} at: expected +HH:MM after the start, HH:MM local time, or ISO 8601 with offset`)
    if (atMs < startMs || atMs >= endMs) throw invalid(`${name} at: ${new Date(atMs).toISOString()} is outside the run (${new Date(startMs).toISOString()} for ${file.duration})`)
    const forMs = 'for' in inc && inc.for !== undefined ? parseScenarioDuration(inc.for)! : undefined
    return { ...inc, atMs, untilMs: forMs === undefined ? endMs : atMs + forMs } as Incident
  })
  const scenario: Scenario = { name: file.name, seed: overrides.seed ?? file.seed, startMs, endMs, options: file.options, incidents }
  if (file.description !== undefined) scenario.description = file.description
  // Preparing every incident is what checks it against the community.
  prepareIncidents(scenario, community)
  return scenario
}

/**
 * Reads a scenario file and validates it with {@link parseScenario}.
 *
 * @example const scenario = await loadScenario('simulators/scenarios/b03-fire.json', community)
 */
export async function loadScenario (path: string, community: Community | CommunityInput, overrides: ScenarioOverrides = {}): Promise<Scenario> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new GangwanError('GW_ERR_SCENARIO_INVALID', `cannot read scenario file ${path}: ${(err as Error).message}`, { cause: err })
  }
  return parseScenario(raw, community, overrides)
}
