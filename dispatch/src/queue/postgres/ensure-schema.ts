import type { Pool } from 'pg'
import { GangwanError, type ErrorCode } from '@gangwan/contracts'
import { lockTransaction, runTransaction } from './run-transaction.ts'

/** What {@link ensureSchema} creates: one component's tables in one PostgreSQL schema. */
export interface SchemaSpec {
  /** The schema's quoted identifier (see `quoteSchema`) and its plain name. */
  quoted: string
  name: string
  /** Key in `schema_versions`, e.g. `alert-queue`. */
  component: string
  version: number
  /** `CREATE … IF NOT EXISTS` statements; `$S` stands for the quoted schema. */
  ddl: string
  /** Error code for a schema written by a newer version. */
  code: ErrorCode
}

/**
 * Creates a component's tables if missing, under an advisory lock so that several hub nodes
 * starting together do not race (`CREATE … IF NOT EXISTS` is not safe against a concurrent
 * creator: the loser fails on the catalog's unique index). Records the component's schema version
 * in `schema_versions` and refuses a schema written by a newer version with `spec.code`.
 *
 * @example await ensureSchema(pool, { quoted: '"public"', name: 'public', component: 'alert-queue', version: 1, ddl, code: 'GW_ERR_QUEUE_UNAVAILABLE' })
 */
export async function ensureSchema (pool: Pool, spec: SchemaSpec): Promise<void> {
  const s = spec.quoted
  await runTransaction(pool, async (c) => {
    await lockTransaction(c, `schema:${spec.name}`)
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${s};
      CREATE TABLE IF NOT EXISTS ${s}.schema_versions (component text PRIMARY KEY, version integer NOT NULL)`)
    const found = await c.query<{ version: number }>(`SELECT version FROM ${s}.schema_versions WHERE component = $1`, [spec.component])
    const version = found.rows[0]?.version ?? 0
    if (version > spec.version) {
      throw new GangwanError(spec.code, `${spec.name}.${spec.component}: schema ${version} is newer than ${spec.version}`)
    }
    await c.query(spec.ddl.replaceAll('$S', () => s))
    await c.query(`INSERT INTO ${s}.schema_versions (component, version) VALUES ($1, $2)
      ON CONFLICT (component) DO UPDATE SET version = excluded.version`, [spec.component, spec.version])
  }, { lockTimeoutMs: 30_000 })
}
