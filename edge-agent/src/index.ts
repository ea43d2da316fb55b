export { createEdgeAgent, type EdgeReady } from './app.ts'
export { EdgeConfigSchema, RuntimeSettingsSchema, loadEdgeConfig, type EdgeConfig, type RuntimeSettings } from './config.ts'
export { createSqliteSpool, type SqliteSpoolOptions } from './spool/create-sqlite-spool.ts'
export { LANES, type Spool, type SpoolEntry, type SpooledMessage, type Lane } from './spool/spool.ts'
