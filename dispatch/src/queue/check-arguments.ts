// Checks on the consumer-side arguments of an AlertQueue. A bad argument is a programming error in
// the caller (not untrusted input), so it throws a plain RangeError instead of a coded error.

/**
 * Returns `value` when it is an integer in [min, max], else throws a RangeError naming it.
 *
 * @example checkCount('limit', 100, 1, 10_000) // 100
 */
export function checkCount (name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

/**
 * Throws a RangeError unless `consumer` is a name of 1–100 characters (it is a cursor's key).
 *
 * @example checkConsumer('incidents')
 */
export function checkConsumer (consumer: string): void {
  if (typeof consumer !== 'string' || consumer.length === 0 || consumer.length > 100) {
    throw new RangeError(`consumer must be a name of 1 to 100 characters, got ${JSON.stringify(consumer)}`)
  }
}
