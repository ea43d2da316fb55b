import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { HEALTH_RULES, KIND_ANALYTICS, rulesTable } from '../src/index.ts'

describe('docs/analytics.md', () => {
  test('lists every rule exactly as the code defines it (regenerate with node scripts/rules-doc.ts)', () => {
    const rules = [...KIND_ANALYTICS.flatMap((k) => k.rules), ...HEALTH_RULES]
    const doc = readFileSync(new URL('../../docs/analytics.md', import.meta.url), 'utf8')
    expect(doc).toContain(rulesTable(rules))
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length)
    for (const r of rules) expect(r.clause.length).toBeGreaterThan(3)
  })
})
