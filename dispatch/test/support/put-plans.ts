import type { Alert } from '@gangwan/contracts'
import { makeAlert, T0 } from './make-alert.ts'

/** Subjects the crash plan cycles through. */
const CRASH_SUBJECTS = 50
/** Alerts per crash-plan batch (one put each). */
export const CRASH_BATCH = 3

/**
 * Event `i` of an endless, deterministic stream: subject `S{i % 50}` goes through episodes of
 * open v1 → open v2 → cleared v3, each episode a new key one minute after the previous one.
 * Every event is a change (no event is stale, none opens a second episode while one is open).
 */
export function crashEvent (i: number): Alert {
  const subject = `S${String(i % CRASH_SUBJECTS).padStart(2, '0')}`
  const e = Math.floor(i / CRASH_SUBJECTS)
  const episode = Math.floor(e / 3)
  const phase = e % 3
  const base = makeAlert({ subject, openedAt: T0 + episode * 60_000 })
  const lastSeenAt = base.openedAt + phase * 1000
  if (phase === 2) return { ...base, state: 'cleared', clearedAt: lastSeenAt, lastSeenAt, count: 2, version: 3 }
  return { ...base, lastSeenAt, count: phase + 1, version: phase + 1 }
}

/** Batch `b` of the crash plan: events `3b … 3b+2`. */
export function crashBatch (b: number): Alert[] {
  return Array.from({ length: CRASH_BATCH }, (_, j) => crashEvent(b * CRASH_BATCH + j))
}

/** Subjects both racers write. */
export const RACE_SUBJECTS = 30

/**
 * What racer `who` puts, one small batch at a time: for every subject the same smoke episode
 * (identical keys and versions 1–3 in both racers) and its own noise episode (a key only this racer
 * uses: openedAt differs), so that exactly one noise episode per subject may stay open.
 * Racer B walks the subjects in reverse order so that the two meet in the middle.
 */
export function racePlan (who: 'A' | 'B'): Alert[][] {
  const batches: Alert[][] = []
  const order = Array.from({ length: RACE_SUBJECTS }, (_, i) => who === 'A' ? i : RACE_SUBJECTS - 1 - i)
  for (const s of order) {
    const subject = `R${String(s).padStart(2, '0')}`
    const smoke = makeAlert({ subject })
    batches.push([smoke], [{ ...smoke, count: 2, version: 2 }])
    const noise = makeAlert({
      ruleId: 'noise.night', subject, openedAt: T0 + (who === 'A' ? 0 : 1), kind: 'noise', category: 'noise', severity: 'P3',
      title: 'Night noise above limit', source: { type: 'rule', id: 'noise.night', version: '1', clause: 'GB 3096-2008 Table 1' },
      trigger: { values: { laeqDb: 52.4 }, window: { fromMs: T0 - 300_000, toMs: T0 } }
    })
    batches.push([{ ...smoke, count: 3, version: 3 }, noise])
  }
  return batches
}
