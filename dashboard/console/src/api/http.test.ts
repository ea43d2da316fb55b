import { describe, expect, it } from 'vitest'
import { queryString } from './http.ts'

describe('queryString', () => {
  it('joins lists with commas and leaves out what is not given', () => {
    expect(queryString({ status: ['new', 'dispatched'], open: true, limit: 1000, grid: [], handler: undefined })).toBe('?status=new%2Cdispatched&open=true&limit=1000')
    expect(queryString({})).toBe('')
    expect(queryString(undefined)).toBe('')
  })
})
