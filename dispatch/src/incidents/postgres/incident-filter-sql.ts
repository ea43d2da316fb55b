import type { CheckedIncidentQuery, IncidentFilters } from '../sqlite/check-incident-arguments.ts'

/** SQL for "neither closed nor a false alarm" (FINAL_INCIDENT_STATUSES). */
export const OPEN_SQL = "status NOT IN ('closed', 'false_alarm')"

/**
 * The WHERE clause of checked filters over the `incidents` table, appending its parameters to
 * `params` (numbered after those already there). A list filter is one array parameter
 * (`= ANY($n::text[])`); an empty list matches nothing.
 *
 * @example
 * const params: unknown[] = []
 * filterSql({ open: true, grid: ['G01'] }, params) // "WHERE status NOT IN (…) AND grid = ANY($1::text[])", params = [['G01']]
 */
export function filterSql (f: IncidentFilters, params: unknown[]): string {
  const parts: string[] = []
  const add = (sql: (p: string) => string, value: unknown): void => {
    if (value === undefined) return
    params.push(value)
    parts.push(sql(`$${params.length}`))
  }
  add((p) => `status = ANY(${p}::text[])`, f.status)
  if (f.open !== undefined) parts.push(f.open ? OPEN_SQL : `NOT (${OPEN_SQL})`)
  add((p) => `category = ANY(${p}::text[])`, f.category)
  add((p) => `severity = ANY(${p}::text[])`, f.severity)
  add((p) => `grid = ANY(${p}::text[])`, f.grid)
  add((p) => `department = ANY(${p}::text[])`, f.department)
  add((p) => `handler = ${p}`, f.handler)
  add((p) => `building = ${p}`, f.building)
  add((p) => `created_at >= ${p}`, f.createdFrom)
  add((p) => `created_at < ${p}`, f.createdTo)
  return parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`
}

const SORT_COLUMNS = { createdAt: 'created_at', updatedAt: 'updated_at', severity: 'severity', dueAt: 'due_at' } as const

/**
 * The ORDER BY list (without the keywords) of a checked query: equal keys in creation order
 * (`num`) in the same direction, so pages are stable; `severity` sorts P1 first ascending (text
 * order under the column's "C" collation); `dueAt` puts incidents without a running deadline last
 * in both directions; `queue` is severity, deadline (none last), creation time and `num`, all
 * reversed by `desc`.
 *
 * @example orderSql({ sort: 'dueAt', order: 'desc' }) // 'due_at DESC NULLS LAST, num DESC'
 * @example orderSql({ sort: 'queue', order: 'asc' }) // 'severity ASC, due_at ASC NULLS LAST, created_at ASC, num ASC'
 */
export function orderSql (q: Pick<CheckedIncidentQuery, 'sort' | 'order'>): string {
  const dir = q.order === 'desc' ? 'DESC' : 'ASC'
  if (q.sort === 'queue') return `severity ${dir}, due_at ${dir} NULLS ${dir === 'ASC' ? 'LAST' : 'FIRST'}, created_at ${dir}, num ${dir}`
  return `${SORT_COLUMNS[q.sort]} ${dir}${q.sort === 'dueAt' ? ' NULLS LAST' : ''}, num ${dir}`
}
