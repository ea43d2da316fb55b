import { readFileSync } from 'node:fs'

/** `docs/protocol.md`, the device maker's document this package's schemas must agree with. */
export const PROTOCOL_DOC = new URL('../../../docs/protocol.md', import.meta.url)

/** A worked example: a line `Topic: \`…\`` immediately followed by a ```json block. */
export interface DocExample {
  topic: string
  json: string
  /** 1-based line of the `Topic:` line, for failure messages. */
  line: number
}

/** One row of a field table: the cells after the field name, keyed by column header. */
export type FieldRow = Record<string, string>

/** Reads the protocol document once per test file. */
export function readProtocolDoc (): string {
  return readFileSync(PROTOCOL_DOC, 'utf8')
}

/** Every worked example of the document. */
export function docExamples (doc: string): DocExample[] {
  const examples: DocExample[] = []
  for (const m of doc.matchAll(/^Topic: `([^`]+)`\n```json\n([\s\S]*?)\n```$/gm)) {
    examples.push({ topic: m[1]!, json: m[2]!, line: doc.slice(0, m.index).split('\n').length })
  }
  return examples
}

/** How many ```json blocks the document has, marked or not. */
export function countJsonBlocks (doc: string): number {
  return [...doc.matchAll(/^```json$/gm)].length
}

/** Splits a Markdown table row on unescaped pipes (`\|` inside a cell stays). */
function cells (row: string): string[] {
  return row.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'))
}

/**
 * The field tables of the document: each follows a line `<!-- fields: NAME -->`. Returns, per
 * NAME, the rows by field name (the backticked first cell) with their other cells by header.
 */
export function fieldTables (doc: string): Map<string, Map<string, FieldRow>> {
  const tables = new Map<string, Map<string, FieldRow>>()
  for (const m of doc.matchAll(/^<!-- fields: ([\w-]+) -->\n((?:\|.*\n?)+)/gm)) {
    const [header, , ...rows] = m[2]!.trim().split('\n')
    const names = cells(header!)
    const table = new Map<string, FieldRow>()
    for (const row of rows) {
      const [field, ...rest] = cells(row)
      const row2: FieldRow = {}
      rest.forEach((c, i) => { row2[names[i + 1]!] = c })
      table.set(field!.replace(/^`|`$/g, ''), row2)
    }
    tables.set(m[1]!, table)
  }
  return tables
}
