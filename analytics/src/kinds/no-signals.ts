import type { Signal } from '../core/signal.ts'

/**
 * The answer of an analyzer or tracker to a message that changes nothing, which is nearly every
 * message: one shared array instead of a new one per message (the hub sees tens of thousands a
 * second). Frozen, so a caller that appends to a result fails loudly instead of corrupting it;
 * callers only read results.
 *
 * @example return out.length === 0 ? NO_SIGNALS : out
 */
export const NO_SIGNALS: Signal[] = Object.freeze([]) as unknown as Signal[]
