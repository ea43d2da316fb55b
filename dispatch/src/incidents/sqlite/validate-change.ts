// Checks on what the domain hands the store (a plan's or a mutation's incident, audit entries and
// link), shared by every implementation. A failure is a bug in the domain code, not a state of the
// world, so it throws a plain Error (the transaction rolls back) instead of a coded error: only
// what is valid is ever stored, so whatever is read back parses.
import { AuditEntrySchema, FINAL_INCIDENT_STATUSES, IncidentSchema, type Incident } from '@gangwan/contracts'
import { z } from 'zod'
import type { NewAuditEntry } from '../incident-store.ts'
import { checkScopeKeys } from './check-incident-arguments.ts'

const NewAuditEntrySchema = AuditEntrySchema.omit({ seq: true, incidentId: true })
const LinkSchema = z.object({ mergeRule: z.string().max(100), reason: z.string().max(500) }).strict()

/**
 * The id of the incident numbered `n`: `INC-` and at least 6 digits.
 *
 * @example incidentId(42) // 'INC-000042'
 */
export function incidentId (n: number): string {
  return `INC-${String(n).padStart(6, '0')}`
}

/** The running deadline as stored for `due`: none once the incident is final. */
export function dueAtOf (incident: Incident): number | undefined {
  return FINAL_INCIDENT_STATUSES.includes(incident.status) ? undefined : incident.deadline?.dueAt
}

/**
 * Parses an incident the domain wants stored; `what` names it in the error.
 *
 * @example const incident = validIncident('update plan', plan.incident)
 */
export function validIncident (what: string, incident: unknown): Incident {
  const parsed = IncidentSchema.safeParse(incident)
  if (!parsed.success) throw new Error(`${what}: invalid incident: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/** Checks that `next` is the version after `stored` of the same incident. */
export function checkNextVersion (what: string, stored: { id: string, version: number }, next: Incident): void {
  if (next.id !== stored.id) throw new Error(`${what}: the incident's id changed from ${stored.id} to ${next.id}`)
  if (next.version !== stored.version + 1) {
    throw new Error(`${what}: ${stored.id} version ${next.version} does not follow the stored version ${stored.version}`)
  }
}

/** Parses the audit entries of a change. */
export function validAudit (what: string, audit: unknown): NewAuditEntry[] {
  const parsed = z.array(NewAuditEntrySchema).safeParse(audit)
  if (!parsed.success) throw new Error(`${what}: invalid audit entries: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/** Parses a plan's link (merge rule and reason). */
export function validLink (what: string, link: unknown): { mergeRule: string, reason: string } {
  const parsed = LinkSchema.safeParse(link)
  if (!parsed.success) throw new Error(`${what}: invalid link: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/** Checks a plan's scope keys (strings of 1–300 characters) and drops repeats. */
export function validScopeKeys (what: string, keys: unknown): string[] {
  return checkScopeKeys(`${what}: scopeKeys`, keys as string[], Error)
}
