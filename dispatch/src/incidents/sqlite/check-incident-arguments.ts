// Checks on the caller-side arguments of an IncidentStore, shared by every implementation. A bad
// argument is a programming error in the caller (not untrusted input), so it throws a plain
// RangeError, as the alert queue's checks do.
import { AlertCategorySchema, AlertSchema, IncidentStatusSchema, SeveritySchema, type Alert } from '@gangwan/contracts'
import { z } from 'zod'
import type { IncidentQuery } from '../incident-store.ts'

/** Largest page `changesSince` and `due` return. */
export const MAX_PAGE = 10_000

const FiltersSchema = z.object({
  status: z.array(IncidentStatusSchema).optional(),
  open: z.boolean().optional(),
  category: z.array(AlertCategorySchema).optional(),
  severity: z.array(SeveritySchema).optional(),
  grid: z.array(z.string()).optional(),
  department: z.array(z.string()).optional(),
  handler: z.string().optional(),
  building: z.string().optional(),
  createdFrom: z.number().int().optional(),
  createdTo: z.number().int().optional()
}).strict()

const QuerySchema = FiltersSchema.extend({
  sort: z.enum(['createdAt', 'updatedAt', 'severity', 'dueAt', 'queue']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0)
}).strict()

/** The filters of an {@link IncidentQuery} (what `all` takes). */
export type IncidentFilters = z.infer<typeof FiltersSchema>
/** An {@link IncidentQuery} with its defaults filled in: `createdAt`, `asc`, 100, 0. */
export type CheckedIncidentQuery = z.infer<typeof QuerySchema>

/**
 * Returns the query with defaults filled in, or throws a RangeError naming what is wrong (an
 * unknown field, a limit outside 1–1000, a negative offset, an unknown sort, status, …).
 *
 * @example checkQuery({ open: true, limit: 20 }) // { open: true, limit: 20, sort: 'createdAt', order: 'asc', offset: 0 }
 */
export function checkQuery (query: IncidentQuery = {}): CheckedIncidentQuery {
  const parsed = QuerySchema.safeParse(query)
  if (!parsed.success) throw new RangeError(`incident query: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/** Like {@link checkQuery} for the filters alone: paging or sorting fields are refused. */
export function checkFilters (filters: Omit<IncidentQuery, 'limit' | 'offset' | 'sort' | 'order'> = {}): IncidentFilters {
  const parsed = FiltersSchema.safeParse(filters)
  if (!parsed.success) throw new RangeError(`incident filters: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/**
 * Returns `value` when it is an integer in [min, max], else throws a RangeError naming it.
 *
 * @example checkInteger('limit', 100, 1, MAX_PAGE) // 100
 */
export function checkInteger (name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

/** Throws a RangeError unless `value` is a string (an incident id or a department id). */
export function checkString (name: string, value: string): string {
  if (typeof value !== 'string') throw new RangeError(`${name} must be a string, got ${typeof value}`)
  return value
}

/**
 * Parses the alert given to `applyAlert` (strict: what is linked is what the schema allows) and
 * checks its scope keys (strings of 1–300 characters); throws a RangeError otherwise.
 *
 * @example const { alert, scopeKeys } = checkAlertArguments(alert, ['fire|B03|Z12'])
 */
export function checkAlertArguments (alert: Alert, scopeKeys: readonly string[]): { alert: Alert, scopeKeys: string[] } {
  const parsed = AlertSchema.safeParse(alert)
  if (!parsed.success) throw new RangeError(`alert: ${z.prettifyError(parsed.error)}`)
  return { alert: parsed.data, scopeKeys: checkScopeKeys('scopeKeys', scopeKeys, RangeError) }
}

/** Returns the distinct scope keys, or throws `Kind` unless they are an array of 1–300 character strings. */
export function checkScopeKeys (name: string, keys: readonly string[], Kind: new (message: string) => Error): string[] {
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && k.length > 0 && k.length <= 300)) {
    throw new Kind(`${name} must be an array of strings of 1 to 300 characters`)
  }
  return [...new Set(keys)]
}
