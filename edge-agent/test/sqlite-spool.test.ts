import { createSqliteSpool } from '../src/spool/create-sqlite-spool.ts'
import { spoolContract } from './spool-contract.ts'

spoolContract('sqlite (synchronous FULL)', (file, bounds) => createSqliteSpool({ file, ...bounds, sync: 'full', ackFlushMs: 10 }))
spoolContract('sqlite (synchronous NORMAL)', (file, bounds) => createSqliteSpool({ file, ...bounds, sync: 'normal', ackFlushMs: 10 }))
