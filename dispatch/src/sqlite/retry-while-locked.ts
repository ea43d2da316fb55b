/** Whether a SQLite error is a lock conflict (SQLITE_BUSY / SQLITE_LOCKED). */
function isLockConflict (err: unknown): boolean {
  return err instanceof Error && /database (table )?is locked|SQLITE_BUSY/i.test(err.message)
}

/**
 * Runs `open` again while it fails with a lock conflict, for up to `timeoutMs`. SQLite's busy
 * handler does not cover every conflict while a file is being opened: two connections that both
 * read the schema and then both want to switch the file to WAL or create tables are told "database
 * is locked" at once, without waiting (SQLite refuses to wait where waiting could deadlock). Two hub
 * processes starting together on one file hit exactly that, so opening retries with a short backoff.
 * `open` must leave nothing behind when it throws.
 *
 * @example const db = retryWhileLocked(() => openAndMigrate(path), 5000)
 */
export function retryWhileLocked<T> (open: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (let attempt = 1; ; attempt++) {
    try {
      return open()
    } catch (err) {
      if (!isLockConflict(err) || Date.now() >= deadline) throw err
      // Synchronous like the open itself: the caller is a store's constructor.
      Atomics.wait(pause, 0, 0, Math.min(10 * attempt, 100))
    }
  }
}
