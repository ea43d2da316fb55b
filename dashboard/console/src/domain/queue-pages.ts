import type { QueueIncident } from '../api/types.ts'

/** Rows of the first request: the top of the queue, more than a wall screen shows at once. */
export const FIRST_PAGE = 200
/** Rows of each later request (the API's largest page). */
export const PAGE = 1000
/** Rows each later page repeats of the one before it, so that pages read at slightly different times still meet. */
export const OVERLAP = 50

/** One answer of `GET /incidents?sort=queue`, with the offset it was asked for. */
export interface QueuePage {
  offset: number
  items: ReadonlyArray<Pick<QueueIncident, 'id' | 'version'>>
  /** How many matched when this page was read. */
  total: number
}

/** Whether the list ended within this page when it was read. */
export function reachesEnd (p: QueuePage): boolean {
  return p.total <= p.offset + p.items.length
}

/** Where the page after one of `count` rows at `offset` starts: {@link OVERLAP} rows before its end. */
export function nextOffset (offset: number, count: number): number {
  return offset + Math.max(1, count - OVERLAP)
}

/**
 * Offsets of the pages that follow the first one to the end of the list as it counted it: each
 * {@link PAGE} long, each starting {@link OVERLAP} rows before the previous one ends. They are
 * read in parallel.
 *
 * @example restOffsets({ offset: 0, items: 200 rows, total: 2000 }) // [150, 1100]
 */
export function restOffsets (first: QueuePage): number[] {
  const out: number[] = []
  if (reachesEnd(first)) return out
  let offset = nextOffset(first.offset, first.items.length)
  for (;;) {
    out.push(offset)
    if (offset + PAGE >= first.total) return out
    offset = nextOffset(offset, PAGE)
  }
}

/**
 * Whether `b` (read at another moment) continues `a` without a gap. Pages read by offset at
 * different moments shift against each other when incidents are created, closed or reordered in
 * between; the live stream brings every incident that changed, so only the unchanged ones must be
 * covered. They keep their order among themselves, so two pages that share one of them at the
 * same version cover every unchanged incident between their ends; so does a page that reached the
 * end of the list.
 */
export function continues (a: QueuePage, b: QueuePage): boolean {
  if (reachesEnd(a)) return true
  const versions = new Map(a.items.map((i) => [i.id, i.version]))
  return b.items.some((i) => versions.get(i.id) === i.version)
}

/**
 * Whether pages in list order, the first at offset 0, hold every incident of the list that did not
 * change while they were read: each continues the one before and the last reached the end.
 */
export function coversList (pages: readonly QueuePage[]): boolean {
  const last = pages.at(-1)
  if (last === undefined || pages[0]!.offset !== 0 || !reachesEnd(last)) return false
  for (let k = 0; k + 1 < pages.length; k++) if (!continues(pages[k]!, pages[k + 1]!)) return false
  return true
}
