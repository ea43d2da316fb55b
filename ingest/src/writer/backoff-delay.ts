/**
 * Delay before retry number `attempt` (0-based): exponential from `minMs`, capped at `maxMs`, with
 * "equal jitter" (half fixed, half random) so a fleet of hubs does not retry in lock-step while the
 * fixed half keeps a floor under the retry rate. A library such as p-retry wraps one call; the
 * writer's loop retries the same journal batch forever and handles 400/404 itself, so this one
 * formula is all it needs.
 */
export function backoffDelay (attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30))
  return ceiling / 2 + random() * ceiling / 2
}
