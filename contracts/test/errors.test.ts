import { describe, expect, it } from 'vitest'
import { ERROR_CODES, GangwanError } from '../src/index.ts'

describe('error codes', () => {
  it('are unique and follow GW_ERR_<AREA>_<WHAT>', () => {
    const codes = Object.keys(ERROR_CODES)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^GW_ERR_[A-Z]+_[A-Z_]+$/)
  })
  it('carry their code and default message', () => {
    const e = new GangwanError('GW_ERR_INGEST_SCHEMA')
    expect(e.code).toBe('GW_ERR_INGEST_SCHEMA')
    expect(e.message).toBe(ERROR_CODES.GW_ERR_INGEST_SCHEMA)
  })
})
