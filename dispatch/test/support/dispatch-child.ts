// A dispatch node in its own process, for kill -9 tests: `node dispatch-child.ts <db> <community.json>`,
// <db> a SQLite file or a postgres:// connection string.
// Prints `ready` once started and runs until killed.
import { readFile } from 'node:fs/promises'
import pino from 'pino'
import { CommunitySchema } from '@gangwan/contracts'
import { createAlertQueue, createDispatch, createPostgresAlertQueue, createPostgresIncidentStore, createSqliteIncidentStore } from '../../src/index.ts'

const [dbPath, communityFile] = process.argv.slice(2)
const community = CommunitySchema.parse(JSON.parse(await readFile(communityFile!, 'utf8')))
const log = pino({ level: 'silent' })
const pg = dbPath!.startsWith('postgres://')
const queue = pg ? createPostgresAlertQueue({ connectionString: dbPath!, log }) : createAlertQueue({ path: dbPath!, log })
const store = pg ? createPostgresIncidentStore({ connectionString: dbPath!, log }) : createSqliteIncidentStore({ path: dbPath!, log })
const dispatch = createDispatch({ queue, store, community, log, pollMs: 50, tickMs: 100 })
await dispatch.start()
process.stdout.write('ready\n')
setInterval(() => {}, 60_000)
