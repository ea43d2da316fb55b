/**
 * Equivalent continuous level of levels of equal duration: 10·lg((1/N)·Σ 10^(0.1·Lᵢ)) dB
 * (GB 3096-2008 Annex C; DOMAIN.md §4). NaN for no levels.
 *
 * @example leq([60, 50]) // 57.4: energy averaging, not arithmetic
 */
export function leq (levels: readonly number[]): number {
  return energyAverage(levels.map((l) => ({ level: l, durationMs: 1 })))
}

/** Like {@link leq}, weighting each level by its duration (samples of unequal length). */
export function energyAverage (samples: readonly { level: number, durationMs: number }[]): number {
  let energy = 0
  let total = 0
  for (const s of samples) {
    energy += s.durationMs * 10 ** (0.1 * s.level)
    total += s.durationMs
  }
  return total > 0 ? 10 * Math.log10(energy / total) : Number.NaN
}
