import { expect } from 'vitest'
import type { z } from 'zod'
import { formatIssues } from '../../src/index.ts'

/** One row of a reject table: what to feed the schema and the issue path it must report. */
export interface RejectCase {
  name: string
  input: unknown
  /** Dotted issue path as `formatIssues` prints it; `(root)` for the object itself. */
  path: string
}

/** Parses `input`, failing with the formatted issues if the schema rejects it. */
export function expectAccepted<S extends z.ZodType> (schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input)
  if (!r.success) expect.fail(`expected acceptance, got:\n${formatIssues(r.error).join('\n')}`)
  return r.data
}

/** Asserts the schema rejects `input` with (at least) one issue at `path`. */
export function expectRejected (schema: z.ZodType, input: unknown, path: string): void {
  const r = schema.safeParse(input)
  if (r.success) expect.fail(`expected rejection at ${path}, but it parsed`)
  const paths = formatIssues(r.error).map((line) => line.slice(0, line.indexOf(': ')))
  expect(paths, formatIssues(r.error).join('\n')).toContain(path)
}

/** A copy of `obj` with `key` set to `value` (the value may be of any type, to test wrong types). */
export function withField (obj: object, key: string, value: unknown): Record<string, unknown> {
  return { ...obj, [key]: value }
}

/** A copy of `obj` without `key`. */
export function without (obj: object, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...obj }
  delete copy[key]
  return copy
}

/** How one field of a flat object schema may be broken; every listed value must be rejected. */
export interface FieldSpec {
  /** Rejected when absent. */
  required: boolean
  /** Values just outside the accepted range, wrong types, non-integers, bad enum members... */
  bad: unknown[]
}

/**
 * Expands per-field specs into reject rows against a valid example: each bad value at the
 * field's own path, the field removed when it is required, and an unknown extra field
 * (rejected by `.strict()` at the root).
 */
export function fieldRejects (valid: object, fields: Record<string, FieldSpec>): RejectCase[] {
  const rows: RejectCase[] = []
  for (const [key, spec] of Object.entries(fields)) {
    for (const value of spec.bad) rows.push({ name: `${key} = ${JSON.stringify(value) ?? String(value)}`, input: withField(valid, key, value), path: key })
    if (spec.required) rows.push({ name: `${key} missing`, input: without(valid, key), path: key })
  }
  rows.push({ name: 'unknown extra field', input: withField(valid, 'colour', 'red'), path: '(root)' })
  return rows
}

/** Bad values every `seq`/`ts` pair must reject (SequencedSchema bounds). */
export const SEQUENCED_FIELDS: Record<string, FieldSpec> = {
  seq: { required: true, bad: [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '7', null] },
  ts: { required: true, bad: [946_684_799_999, 4_102_444_800_001, 1_763_800_000_000.5, 1_763_800_000, '1763800000000', null] }
}
