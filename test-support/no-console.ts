// Vitest setup file (zod's habit): any test that writes to the console fails. Tests assert what
// crosses a boundary; output on the console means a stray debug line or a warning worth reading.
import { afterEach, beforeEach, vi } from 'vitest'

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const
let written: string[] = []

beforeEach(() => {
  written = []
  for (const m of METHODS) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => { written.push(`console.${m}: ${args.map(String).join(' ')}`) })
  }
})

afterEach(() => {
  vi.restoreAllMocks()
  if (written.length > 0) throw new Error(`test wrote to the console:\n${written.join('\n')}`)
})
