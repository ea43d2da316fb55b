import type { Signal } from './signal.ts'
import type { DeviceKind } from '@gangwan/contracts'
import type { DeviceAnalyzer } from './kind-analytics.ts'

/**
 * The answer of an analyzer or tracker to a message that changes nothing, which is nearly every
 * message: one shared array instead of a new one per message (the hub sees tens of thousands a
 * second). Frozen, so a caller that appends to a result fails loudly instead of corrupting it;
 * callers only read results.
 *
 * @example return out.length === 0 ? NO_SIGNALS : out
 */
export const NO_SIGNALS: Signal[] = Object.freeze([]) as unknown as Signal[]

/**
 * One device analyzer out of several rule analyzers of the same device: each message and tick goes
 * to every rule, and their signals are joined without allocating when none fires.
 *
 * @example return combineAnalyzers([exceedance, illegalDischarge, uptime])
 */
export function combineAnalyzers<K extends DeviceKind> (rules: readonly DeviceAnalyzer<K>[]): Required<DeviceAnalyzer<K>> {
  return {
    observe (msg) {
      let out: Signal[] = NO_SIGNALS
      for (const r of rules) {
        const s = r.observe(msg)
        if (s.length > 0) out = out.length === 0 ? s : [...out, ...s]
      }
      return out
    },
    tick (nowMs) {
      let out: Signal[] = NO_SIGNALS
      for (const r of rules) {
        const s = r.tick?.(nowMs) ?? NO_SIGNALS
        if (s.length > 0) out = out.length === 0 ? s : [...out, ...s]
      }
      return out
    }
  }
}
