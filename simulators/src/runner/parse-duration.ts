const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * Parses a duration such as `30s`, `10m`, `1.5h`, `500ms` or `1h30m` (a bare number is seconds)
 * into milliseconds. Returns `undefined` when the text is not a duration.
 *
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration (text: string): number | undefined {
  const t = text.trim()
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy
  let total = 0
  let end = 0
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!
    end = re.lastIndex
  }
  return end === t.length && end > 0 ? Math.round(total) : undefined
}
