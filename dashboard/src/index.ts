export { API_PREFIX, createDashboard, type Dashboard, type DashboardDeps } from './app.ts'
export { DashboardConfigSchema, DEFAULT_CONSOLE_DIR, type DashboardConfig, type DashboardConfigInput } from './config.ts'
export {
  ApiTokenSchema, NewUserSchema, UserSchema, type ApiToken, type Authenticated, type AuthStore, type NewSession, type NewUser,
  type SessionLimits, type User
} from './auth/auth-store.ts'
export { createSqliteAuthStore, type SqliteAuthStoreOptions } from './auth/create-sqlite-auth-store.ts'
export { seedUsers } from './auth/seed-users.ts'
export { ROLE_PERMISSIONS, ROLES, RoleSchema, canAct, canSee, type Principal, type Role, type RolePermissions } from './auth/permissions.ts'
export { codedError, HTTP_STATUS, NotProvidedError } from './coded-error.ts'
export { CONSOLE_NOT_BUILT } from './console-static.ts'
export { communityView, CommunityViewSchema, type CommunityView } from './community-view.ts'
export {
  DEVICE_STATES, DeviceCountsSchema, DeviceStateSchema, DeviceStatusSchema, type DeviceCounts, type DeviceDirectory, type DeviceQuery,
  type DeviceState, type DeviceStatus
} from './devices/device-directory.ts'
export type { CredentialIssuer } from './devices/credential-issuer.ts'
export {
  COMMAND_MAX_TIMEOUT_S, COMMAND_STATUSES, CommandRecordSchema, CommandStatusSchema, NewCommandSchema, type CommandChannel, type CommandRecord,
  type CommandStatus, type NewCommand
} from './commands/command-channel.ts'
export { TelemetryPointSchema, TelemetrySeriesSchema, type TelemetryHistory, type TelemetryPoint, type TelemetrySeries } from './telemetry/telemetry-history.ts'
export { TELEMETRY_MAX_POINTS, TELEMETRY_MAX_RANGE_MS } from './api-schemas.ts'
