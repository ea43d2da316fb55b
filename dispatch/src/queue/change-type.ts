import type { Alert } from '@gangwan/contracts'
import type { AlertChangeType } from './alert-queue.ts'

/**
 * The change a newer version makes, read off the state before (undefined for a new key) and after:
 * becoming open is `opened`, becoming cleared is `cleared`, anything else is `updated`. Shared by
 * every queue implementation so that consumers see the same events whatever the store.
 *
 * @example
 * changeType(undefined, 'open') // 'opened'
 * changeType('open', 'open')    // 'updated'
 * changeType('open', 'cleared') // 'cleared'
 */
export function changeType (before: Alert['state'] | undefined, after: Alert['state']): AlertChangeType {
  if (before === after) return 'updated'
  return after === 'open' ? 'opened' : 'cleared'
}
