/**
 * The most recent `max` entries by id, oldest evicted first (a Map keeps insertion order). In
 * memory: a restarted hub forgets its commands, and a late acknowledgement of a forgotten command
 * is counted as unknown.
 */
export interface RecentCommands<E> {
  get: (id: string) => E | undefined
  /** Adds an entry, evicting the oldest ones past `max` (each handed to `onEvict`). */
  add: (id: string, entry: E) => void
  delete: (id: string) => void
  /** Newest first, as long as `keep` accepts them, at most `limit`. */
  newest: (keep: (entry: E) => boolean, limit: number) => E[]
  values: () => IterableIterator<E>
  readonly size: number
}

/**
 * Creates a bounded store of recent commands.
 *
 * @example const recent = createRecentCommands<Entry>(1000, (e) => clearTimeout(e.timer))
 */
export function createRecentCommands<E> (max: number, onEvict: (entry: E) => void): RecentCommands<E> {
  const byId = new Map<string, E>()
  return {
    get: (id) => byId.get(id),
    add (id, entry) {
      byId.set(id, entry)
      while (byId.size > max) {
        const [oldest, e] = byId.entries().next().value as [string, E]
        byId.delete(oldest)
        onEvict(e)
      }
    },
    delete: (id) => { byId.delete(id) },
    newest (keep, limit) {
      const all = [...byId.values()]
      const out: E[] = []
      for (let i = all.length - 1; i >= 0 && out.length < limit; i--) if (keep(all[i]!)) out.push(all[i]!)
      return out
    },
    values: () => byId.values(),
    get size () { return byId.size }
  }
}
