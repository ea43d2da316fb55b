import { DatabaseSync } from 'node:sqlite'
import type { CommandAck } from '@gangwan/contracts'

/** Sequence numbers derived from a boot counter: `seq = bootCount × 1e9 + n` (docs/protocol.md §5). */
export const SEQ_BLOCK = 1_000_000_000

/**
 * What the agent keeps across restarts besides the spool: its boot counter (so sequence numbers it
 * assigns are never reused), settings the hub changed at run time, and the acknowledgements of
 * recent commands (so a command delivered twice is answered twice but applied once).
 */
export interface AgentState {
  /** This run's boot number, incremented durably at open. */
  bootCount: number
  /** Next sequence number of a series (a polled device's telemetry, the gateway's heartbeats). */
  nextSeq: (series: string) => number
  settingsOverrides: () => Record<string, unknown>
  saveSettingsOverrides: (o: Record<string, unknown>) => void
  ackOf: (commandId: string) => CommandAck | undefined
  rememberAck: (ack: CommandAck) => void
  close: () => void
}

/** Opens (or creates) the state file. */
export function createAgentState (file: string, keepAcks = 1000): AgentState {
  const db = new DatabaseSync(file)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL')
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  db.exec('CREATE TABLE IF NOT EXISTS acks (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, ack TEXT NOT NULL)')
  const get = db.prepare('SELECT value FROM meta WHERE key = ?')
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  const read = (key: string): string | undefined => {
    const row = get.get(key)
    return row === undefined ? undefined : String(row.value)
  }

  const bootCount = Number(read('bootCount') ?? '0') + 1
  put.run('bootCount', String(bootCount))
  const counters = new Map<string, number>()
  const getAck = db.prepare('SELECT ack FROM acks WHERE id = ?')
  const putAck = db.prepare('INSERT OR IGNORE INTO acks (id, ack) VALUES (?, ?)')
  const trimAcks = db.prepare('DELETE FROM acks WHERE seq <= (SELECT max(seq) FROM acks) - ?')

  return {
    bootCount,
    nextSeq (series) {
      const n = counters.get(series) ?? 0
      counters.set(series, n + 1)
      return bootCount * SEQ_BLOCK + n
    },
    settingsOverrides: () => JSON.parse(read('settings') ?? '{}') as Record<string, unknown>,
    saveSettingsOverrides: (o) => { put.run('settings', JSON.stringify(o)) },
    ackOf (commandId) {
      const row = getAck.get(commandId)
      return row === undefined ? undefined : JSON.parse(String(row.ack)) as CommandAck
    },
    rememberAck (ack) {
      putAck.run(ack.id, JSON.stringify(ack))
      trimAcks.run(keepAcks)
    },
    close: () => { db.close() }
  }
}
