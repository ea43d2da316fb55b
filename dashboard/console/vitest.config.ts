import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * The console's unit tests: pure helpers only (countdowns, queue order, paging, geometry, answer
 * normalisation), run under Node without a DOM. Pages are covered by the browser test.
 * `npx vitest run --config dashboard/console/vitest.config.ts`
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['../../test-support/no-console.ts']
  }
})
