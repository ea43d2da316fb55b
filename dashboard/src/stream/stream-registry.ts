/** Something open that `stop()` must end: a live stream. */
export interface Closable { close: () => void }

/** The open live streams, so a clean shutdown ends them instead of waiting on them forever. */
export interface StreamRegistry {
  add: (s: Closable) => void
  delete: (s: Closable) => void
  readonly size: number
  /** Ends every open stream. */
  closeAll: () => void
}

/** @example const streams = createStreamRegistry(); app.addHook('preClose', async () => streams.closeAll()) */
export function createStreamRegistry (): StreamRegistry {
  const open = new Set<Closable>()
  return {
    add: (s) => { open.add(s) },
    delete: (s) => { open.delete(s) },
    get size () { return open.size },
    closeAll: () => { for (const s of [...open]) s.close() }
  }
}
