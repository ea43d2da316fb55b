import { alertKey, type Alert } from '@gangwan/contracts'

/** Measurement time of the fixtures' first episode (epoch ms, 2025-11-22). */
export const T0 = 1_763_800_000_000

/** What identifies an episode: its rule, subject and opening time; the key is derived from them. */
export interface EpisodeFields { ruleId?: string, subject?: string, openedAt?: number }

/**
 * A valid open smoke alert, version 1, with `overrides` applied; key = ruleId|subject|openedAt.
 *
 * @example makeAlert({ subject: 'B03-F12-S02', severity: 'P1' })
 */
export function makeAlert (overrides: Partial<Alert> & EpisodeFields = {}): Alert {
  const ruleId = overrides.ruleId ?? 'fire.smoke'
  const subject = overrides.subject ?? 'B03-F12-S01'
  const openedAt = overrides.openedAt ?? T0
  return {
    key: alertKey(ruleId, subject, openedAt),
    ruleId,
    subject,
    device: subject,
    kind: 'fire',
    category: 'fire',
    severity: 'P2',
    state: 'open',
    title: 'Smoke pre-alarm',
    source: { type: 'rule', id: ruleId, version: '1', clause: 'GB 4715-2024 §5.7' },
    trigger: { values: { smokeDbM: 0.31 }, window: { fromMs: openedAt - 10_000, toMs: openedAt } },
    location: { grid: 'G01', building: 'B03', floor: 12, zone: 'Z12' },
    openedAt,
    lastSeenAt: openedAt,
    count: 1,
    flapping: false,
    detectedAt: openedAt + 50,
    version: 1,
    ...overrides
  }
}

/**
 * The next version of `alert`: seen once more (`count`, `lastSeenAt` + 1 s), or cleared.
 *
 * @example next(makeAlert(), 'cleared').version // 2
 */
export function next (alert: Alert, state: Alert['state'] = alert.state): Alert {
  const lastSeenAt = alert.lastSeenAt + 1000
  const out: Alert = { ...alert, state, lastSeenAt, count: alert.count + 1, version: alert.version + 1 }
  if (state === 'cleared') out.clearedAt = lastSeenAt
  else delete out.clearedAt
  return out
}
