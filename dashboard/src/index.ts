export { API_PREFIX, createDashboard, type Dashboard, type DashboardDeps } from './app.ts'
export { DashboardConfigSchema, type DashboardConfig, type DashboardConfigInput } from './config.ts'
export {
  ApiTokenSchema, NewUserSchema, UserSchema, type ApiToken, type Authenticated, type AuthStore, type NewSession, type NewUser,
  type SessionLimits, type User
} from './auth/auth-store.ts'
export { createSqliteAuthStore, type SqliteAuthStoreOptions } from './auth/create-sqlite-auth-store.ts'
export { seedUsers } from './auth/seed-users.ts'
export { ROLE_PERMISSIONS, ROLES, RoleSchema, canAct, canSee, type Principal, type Role, type RolePermissions } from './auth/permissions.ts'
export { codedError, HTTP_STATUS } from './coded-error.ts'
