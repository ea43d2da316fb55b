import { describe, expect, it } from 'vitest'
import { formatCountdown, formatSeconds, slaState, stepStartedAt, type SlaInput } from './countdown.ts'

const base: SlaInput = { createdAt: 0, updatedAt: 0, tier: 0, dispatchedAt: 0 }
const accept = (dueAt: number, extra: Partial<SlaInput> = {}): SlaInput => ({ ...base, deadline: { step: 'accept', dueAt, tier: 0 }, ...extra })

describe('formatCountdown', () => {
  it.each([
    [0, '00:00'],
    [999, '00:00'],
    [65_000, '01:05'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [86_399_000, '23:59:59'],
    [3 * 86_400_000 + 7_260_000, '3d 02:01'],
    [-1_000, '-00:01'],
    [-65_000, '-01:05'],
    [-90_061_000, '-1d 01:01']
  ])('%i ms → %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text)
  })

  it('takes the day unit of the language', () => {
    expect(formatCountdown(2 * 86_400_000, '天')).toBe('2天 00:00')
  })
})

describe('slaState', () => {
  it('is none without a running step', () => {
    expect(slaState(base, 5)).toEqual({ level: 'none' })
  })

  it.each([
    // dispatched at 0, due at 1000: the share left decides the colour
    [0, 'ok', 1],
    [500, 'ok', 0.5],
    [501, 'warn', 0.499],
    [800, 'warn', 0.2],
    [801, 'critical', 0.199],
    [1000, 'critical', 0],
    [1001, 'overdue', 0]
  ] as const)('at %i ms it is %s', (now, level, fraction) => {
    const s = slaState(accept(1000), now)
    expect(s.level).toBe(level)
    expect(s.fraction).toBeCloseTo(fraction, 3)
    expect(s.leftMs).toBe(1000 - now)
  })

  it('times arrive from acceptance and resolve from arrival', () => {
    expect(stepStartedAt({ ...base, acceptedAt: 400, deadline: { step: 'arrive', dueAt: 2000, tier: 0 } })).toBe(400)
    expect(stepStartedAt({ ...base, arrivedAt: 700, deadline: { step: 'resolve', dueAt: 2000, tier: 0 } })).toBe(700)
    expect(slaState({ ...base, acceptedAt: 1000, deadline: { step: 'arrive', dueAt: 2000, tier: 0 } }, 1900).level).toBe('critical')
  })

  it('times an escalated step from the last change, not from dispatch', () => {
    // Dispatched at 0, escalated at 10 000 with a fresh 1 000 ms: 40 % of it left is amber, not red
    // (timed from dispatch it would be 400 of 11 000 ms, under 4 %).
    const escalated = accept(11_000, { tier: 1, updatedAt: 10_000, deadline: { step: 'accept', dueAt: 11_000, tier: 1 } })
    expect(stepStartedAt(escalated)).toBe(10_000)
    expect(slaState(escalated, 10_600).level).toBe('warn')
  })

  it('times the step from the deadline\'s own start, even after later changes', () => {
    // Escalated at 10 000 with a fresh 1 000 ms, then an alert merged at 10 500 (updatedAt): the
    // step still started at 10 000, so at 10 850 15 % is left: red.
    const merged = accept(11_000, { tier: 1, updatedAt: 10_500, deadline: { step: 'accept', dueAt: 11_000, tier: 1, startedAt: 10_000 } })
    expect(stepStartedAt(merged)).toBe(10_000)
    expect(slaState(merged, 10_850).level).toBe('critical')
    // Without it the merge would stand in as the start, and the same moment would read amber.
    const { startedAt: _, ...withoutStart } = merged.deadline!
    expect(slaState({ ...merged, deadline: withoutStart }, 10_850).level).toBe('warn')
  })

  it('falls back to the creation time when the step start is unknown', () => {
    expect(stepStartedAt({ createdAt: 50, updatedAt: 50, tier: 0, deadline: { step: 'accept', dueAt: 100, tier: 0 } })).toBe(50)
  })
})

describe('formatSeconds', () => {
  const units = { s: 's', min: 'min', h: 'h', d: 'd' }
  it.each([
    [null, '—'],
    [Number.NaN, '—'],
    [45.4, '45 s'],
    [750, '12.5 min'],
    [3 * 3600 + 720, '3.2 h'],
    [2.5 * 86_400, '2.5 d']
  ])('%s → %s', (s, text) => {
    expect(formatSeconds(s, units)).toBe(text)
  })
})
