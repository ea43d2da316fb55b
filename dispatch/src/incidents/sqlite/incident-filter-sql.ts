import type { SQLInputValue } from 'node:sqlite'
import type { CheckedIncidentQuery, IncidentFilters } from './check-incident-arguments.ts'

/** SQL for "neither closed nor a false alarm" (FINAL_INCIDENT_STATUSES). */
export const OPEN_SQL = "status NOT IN ('closed', 'false_alarm')"

/** One WHERE clause with its parameters, in order. */
export interface FilterSql { where: string, args: SQLInputValue[] }

/**
 * The WHERE clause of checked filters over the `incidents` table. A list filter is one parameter
 * (a JSON array read with `json_each`), so the statement text depends only on which filters are
 * present and prepared statements can be reused; an empty list matches nothing.
 *
 * @example filterSql({ open: true, grid: ['G01'] }) // { where: "WHERE status NOT IN (...) AND grid IN (SELECT value FROM json_each(?))", args: ['["G01"]'] }
 */
export function filterSql (f: IncidentFilters): FilterSql {
  const parts: string[] = []
  const args: SQLInputValue[] = []
  const list = (column: string, values: string[] | undefined): void => {
    if (values === undefined) return
    parts.push(`${column} IN (SELECT value FROM json_each(?))`)
    args.push(JSON.stringify(values))
  }
  const equal = (column: string, op: string, value: string | number | undefined): void => {
    if (value === undefined) return
    parts.push(`${column} ${op} ?`)
    args.push(value)
  }
  list('status', f.status)
  if (f.open !== undefined) parts.push(f.open ? OPEN_SQL : `NOT (${OPEN_SQL})`)
  list('category', f.category)
  list('severity', f.severity)
  list('grid', f.grid)
  list('department', f.department)
  equal('handler', '=', f.handler)
  equal('building', '=', f.building)
  equal('created_at', '>=', f.createdFrom)
  equal('created_at', '<', f.createdTo)
  return { where: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, args }
}

const SORT_COLUMNS = { createdAt: 'created_at', updatedAt: 'updated_at', severity: 'severity', dueAt: 'due_at' } as const

/**
 * The ORDER BY clause of a checked query: equal keys in creation order (`num`) in the same
 * direction, so pages are stable; `severity` sorts P1 first ascending (the enum's text order);
 * `dueAt` puts incidents without a running deadline last in both directions; `queue` is severity,
 * deadline (none last), creation time and `num`, all reversed by `desc`.
 *
 * @example orderSql({ sort: 'dueAt', order: 'desc' }) // 'ORDER BY due_at IS NULL, due_at DESC, num DESC'
 * @example orderSql({ sort: 'queue', order: 'asc' }) // 'ORDER BY severity ASC, due_at IS NULL ASC, due_at ASC, created_at ASC, num ASC'
 */
export function orderSql (q: Pick<CheckedIncidentQuery, 'sort' | 'order'>): string {
  const dir = q.order === 'desc' ? 'DESC' : 'ASC'
  if (q.sort === 'queue') return `ORDER BY severity ${dir}, due_at IS NULL ${dir}, due_at ${dir}, created_at ${dir}, num ${dir}`
  const column = SORT_COLUMNS[q.sort]
  return `ORDER BY ${q.sort === 'dueAt' ? 'due_at IS NULL, ' : ''}${column} ${dir}, num ${dir}`
}
