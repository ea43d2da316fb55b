import { describe, expect, it } from 'vitest'
import { nextCursor } from './page-cursor.ts'

const page = (...createdAt: number[]) => createdAt.map((c) => ({ createdAt: c }))

describe('nextCursor', () => {
  it('starts the next page at the last creation time, past the ones already seen', () => {
    expect(nextCursor(page(1, 2, 5), { offset: 0 })).toEqual({ createdFrom: 5, offset: 1 })
    expect(nextCursor(page(5, 7, 7), { createdFrom: 5, offset: 1 })).toEqual({ createdFrom: 7, offset: 2 })
  })

  it('a page of one millisecond only carries on that millisecond', () => {
    expect(nextCursor(page(7, 7, 7), { createdFrom: 7, offset: 2 })).toEqual({ createdFrom: 7, offset: 5 })
    // …but not when it reached that millisecond from an earlier one
    expect(nextCursor(page(7, 7), { createdFrom: 3, offset: 1 })).toEqual({ createdFrom: 7, offset: 2 })
  })

  it('an empty page changes nothing', () => {
    expect(nextCursor([], { createdFrom: 4, offset: 2 })).toEqual({ createdFrom: 4, offset: 2 })
  })
})
