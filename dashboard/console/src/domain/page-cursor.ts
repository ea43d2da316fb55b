import type { Incident } from '@gangwan/contracts'

/** Where the next page of a `sort=createdAt&order=asc` listing starts. */
export interface PageCursor {
  createdFrom?: number
  offset: number
}

/**
 * Keyset paging over creation time: the next page starts at the last creation time seen
 * (`createdFrom` is inclusive) and skips the incidents of that very millisecond already loaded.
 * Unlike plain offsets, an incident closed while the pages load does not shift a later one out of
 * sight; one created meanwhile comes last, and the live stream brings it anyway.
 *
 * @example nextCursor([{ createdAt: 5 }, { createdAt: 7 }, { createdAt: 7 }], { offset: 0 }) // { createdFrom: 7, offset: 2 }
 */
export function nextCursor (page: readonly Pick<Incident, 'createdAt'>[], previous: PageCursor): PageCursor {
  const last = page.at(-1)
  if (last === undefined) return previous
  let same = 0
  for (let i = page.length - 1; i >= 0 && page[i]!.createdAt === last.createdAt; i--) same++
  // A page made of one millisecond only continues that millisecond's offset.
  const carried = previous.createdFrom === last.createdAt && same === page.length ? previous.offset : 0
  return { createdFrom: last.createdAt, offset: carried + same }
}
