import { listQueue } from '../api/endpoints.ts'
import type { QueueIncident } from '../api/types.ts'
import { nextCursor, type PageCursor } from '../domain/page-cursor.ts'
import { coversList, FIRST_PAGE, nextOffset, PAGE, reachesEnd, restOffsets, type QueuePage } from '../domain/queue-pages.ts'

/** Pages read one after another when the list grew past its last planned page, before giving up on offsets. */
const MAX_EXTRA_PAGES = 3

/** A page of the open queue as loaded. */
export type LoadedPage = QueuePage & { items: QueueIncident[] }

/** What {@link loadOpenQueue} reports while it loads. */
export interface QueueLoadEvents {
  /** The top of the queue, in queue order: shown at once. */
  first: (page: LoadedPage) => void
  /** Rows received so far (pages overlap, so at most `total`), and how many open incidents there are. */
  progress: (received: number, total: number) => void
}

/**
 * Loads every open incident in the queue's projection. The first request is the top of the queue
 * in its own order (`sort=queue`), so the first screen is the right one and can be worked at once;
 * the rest follow in parallel, in pages that overlap by a few rows. Their union is checked
 * ({@link coversList}): should incidents have shifted more than the overlap between two pages,
 * the queue is read again by creation time instead, page after page (keyset paging over a key
 * that never changes, so nothing slips between pages), slower but exact. Incidents that change
 * meanwhile are the live stream's to bring. Resolves with the pages, to be merged in one go.
 */
export async function loadOpenQueue (signal: AbortSignal, on: QueueLoadEvents): Promise<LoadedPage[]> {
  const read = async (offset: number, limit: number): Promise<LoadedPage> =>
    ({ offset, ...(await listQueue({ open: true, sort: 'queue', limit, offset }, signal)) })
  const first = await read(0, FIRST_PAGE)
  on.first(first)
  let received = first.items.length
  const count = (p: LoadedPage): LoadedPage => {
    received += p.items.length
    on.progress(Math.min(received, p.total), p.total)
    return p
  }
  const pages = [first, ...await Promise.all(restOffsets(first).map(async (o) => count(await read(o, PAGE))))]
  for (let extra = 0; extra < MAX_EXTRA_PAGES && !reachesEnd(pages.at(-1)!); extra++) {
    const last = pages.at(-1)!
    pages.push(count(await read(nextOffset(last.offset, last.items.length), PAGE)))
  }
  return coversList(pages) ? pages : await loadByCreation(signal, on)
}

/** Every open incident by creation time, page after page from a keyset cursor (see {@link nextCursor}). */
async function loadByCreation (signal: AbortSignal, on: QueueLoadEvents): Promise<LoadedPage[]> {
  const pages: LoadedPage[] = []
  let cursor: PageCursor = { offset: 0 }
  let received = 0
  let total = 0
  for (;;) {
    const page = await listQueue({ open: true, sort: 'createdAt', order: 'asc', limit: PAGE, ...cursor }, signal)
    pages.push({ offset: received, ...page })
    received += page.items.length
    // `total` counts what is left from the cursor on: the first page's total is the whole set.
    total = cursor.createdFrom === undefined ? page.total : Math.max(total, received)
    on.progress(received, total)
    if (page.items.length < PAGE) return pages
    cursor = nextCursor(page.items, cursor)
  }
}
