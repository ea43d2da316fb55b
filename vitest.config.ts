import { defineConfig } from 'vitest/config'

/**
 * The scenario evaluation (eval/test/eval-suite.test.ts) runs a 2,000-device community through
 * the hub at 300× real time and scores its alerts: timing-sensitive, it needs the machine to
 * itself. So it is a project of its own, run after everything else (groupOrder 1); the rest runs
 * two files at a time, since most of its long files (outages, a year of events, browsers) spend
 * their time waiting on other processes rather than on the CPU.
 */
export default defineConfig({
  test: {
    globalSetup: ['./test-support/influxd-global-setup.ts'],
    setupFiles: ['./test-support/no-console.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['*/test/**/*.test.ts', 'dashboard/console/src/**/*.test.ts'],
          exclude: ['eval/test/eval-suite.test.ts', '**/node_modules/**'],
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: {
          name: 'eval',
          include: ['eval/test/eval-suite.test.ts'],
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
