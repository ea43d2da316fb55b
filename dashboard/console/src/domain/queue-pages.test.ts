import { describe, expect, it } from 'vitest'
import { continues, coversList, FIRST_PAGE, nextOffset, OVERLAP, PAGE, restOffsets, type QueuePage } from './queue-pages.ts'

/** A list of incidents I1…In at version 1, read as a page of `limit` rows at `offset`. */
function read (list: ReadonlyArray<{ id: string, version: number }>, offset: number, limit: number): QueuePage {
  return { offset, items: list.slice(offset, offset + limit), total: list.length }
}
const listOf = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ id: `I${i + from}`, version: 1 }))

describe('restOffsets', () => {
  it('plans overlapping pages to the end of the list as first counted', () => {
    const list = listOf(10_000)
    const offsets = restOffsets(read(list, 0, FIRST_PAGE))
    expect(offsets[0]).toBe(FIRST_PAGE - OVERLAP)
    expect(offsets.at(-1)! + PAGE).toBeGreaterThanOrEqual(10_000)
    expect(offsets.at(-2)! + PAGE).toBeLessThan(10_000)
    for (let k = 1; k < offsets.length; k++) expect(offsets[k]! - offsets[k - 1]!).toBe(PAGE - OVERLAP)
    const pages = [read(list, 0, FIRST_PAGE), ...offsets.map((o) => read(list, o, PAGE))]
    expect(coversList(pages)).toBe(true)
    expect(new Set(pages.flatMap((p) => p.items.map((i) => i.id))).size).toBe(10_000)
  })

  it('plans nothing when the first page holds the whole list', () => {
    expect(restOffsets(read(listOf(120), 0, FIRST_PAGE))).toEqual([])
    expect(coversList([read(listOf(120), 0, FIRST_PAGE)])).toBe(true)
    expect(coversList([read([], 0, FIRST_PAGE)])).toBe(true)
  })

  it('steps at least one row even for a page shorter than the overlap', () => {
    expect(nextOffset(10, 3)).toBe(11)
  })
})

describe('continues and coversList', () => {
  const before = listOf(3000)
  it('accept pages that shifted by less than the overlap (incidents closed or created above them)', () => {
    const first = read(before, 0, 1000)
    const closedAbove = before.filter((_, i) => i % 100 !== 5) // 30 closed in between
    const second = read(closedAbove, nextOffset(0, 1000), 1000)
    expect(continues(first, second)).toBe(true)
    const createdAbove = [...listOf(OVERLAP - 1, 90_000), ...before]
    expect(continues(first, read(createdAbove, nextOffset(0, 1000), 1000))).toBe(true)
  })

  it('refuse pages that shifted past the overlap: an unchanged incident could fall between them', () => {
    const first = read(before, 0, 1000)
    const closedAbove = before.slice(OVERLAP + 1)
    const second = read(closedAbove, nextOffset(0, 1000), 1000)
    expect(continues(first, second)).toBe(false)
    expect(coversList([first, second, read(closedAbove, nextOffset(950, 1000), 1000)])).toBe(false)
  })

  it('do not count an incident met at two versions as a meeting point (it moved)', () => {
    const first = read(before, 0, 1000)
    const moved = before.slice(OVERLAP + 1).map((i) => i.id === 'I1000' ? { ...i, version: 2 } : i)
    const second = { ...read(moved, nextOffset(0, 1000), 1000) }
    second.items = [{ id: 'I1000', version: 2 }, ...second.items]
    expect(continues(first, second)).toBe(false)
  })

  it('need the last page to reach the end of the list, and the first to start at the top', () => {
    const grown = [...before, ...listOf(10, 50_000)]
    expect(coversList([read(before, 0, 1000), read(before, 950, 1000), read(grown, 1900, 1000)])).toBe(false)
    expect(coversList([read(before, 0, 1000), read(before, 950, 1000), read(grown, 1900, 1000), read(grown, 2850, 1000)])).toBe(true)
    expect(coversList([read(before, 950, 1000), read(before, 1900, 1000)])).toBe(false)
    expect(coversList([])).toBe(false)
  })
})
