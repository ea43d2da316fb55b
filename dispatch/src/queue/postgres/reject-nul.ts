import { GangwanError, type ErrorCode } from '@gangwan/contracts'

/**
 * Throws `code` when any string in `value` (a value or an object key) holds U+0000: PostgreSQL's
 * text and jsonb cannot store it, so such a document would fail its transaction on every retry.
 * Refusing it as invalid input up front keeps a producer from retrying a put that can never succeed.
 *
 * @example rejectNul([{ title: 'a\u0000b' }], 'GW_ERR_QUEUE_INVALID_ALERT', 'alerts') // throws: alerts[0]: …
 */
export function rejectNul (items: readonly unknown[], code: ErrorCode, label: string): void {
  items.forEach((item, i) => {
    JSON.stringify(item, (key, value: unknown) => {
      if (key.includes('\0') || (typeof value === 'string' && value.includes('\0'))) {
        throw new GangwanError(code, `${label}[${i}]: PostgreSQL cannot store the character U+0000 (in ${JSON.stringify(key)})`)
      }
      return value
    })
  })
}
