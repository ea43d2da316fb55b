import type { RuleInfo } from './rule-info.ts'

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()

/**
 * The rules as one markdown table (id, version, category, severity, clause, what it does): what
 * docs/analytics.md embeds, so the documentation is the code's own list (a test keeps them equal).
 *
 * @example rulesTable([...KIND_ANALYTICS.flatMap((k) => k.rules), ...HEALTH_RULES])
 */
export function rulesTable (rules: readonly RuleInfo[]): string {
  const rows = rules.map((r) => `| \`${r.id}\` | ${r.version} | ${r.category} | ${r.severity} | ${cell(r.clause)} | ${cell(r.title)}: ${cell(r.description)} |`)
  return ['| rule | version | category | severity | clause | what it does |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n')
}
