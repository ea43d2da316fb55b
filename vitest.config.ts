import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts', 'dashboard/console/src/**/*.test.ts'],
    globalSetup: ['./test-support/influxd-global-setup.ts'],
    setupFiles: ['./test-support/no-console.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks'
  }
})
