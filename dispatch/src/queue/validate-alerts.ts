import { AlertSchema, GangwanError, type Alert } from '@gangwan/contracts'
import { z } from 'zod'

/**
 * Parses every alert of one `put` with {@link AlertSchema} before anything is written, so a put
 * is all or nothing: the first invalid alert throws `GW_ERR_QUEUE_INVALID_ALERT` naming its index,
 * its key when it has one, and zod's reasons. Returns the parsed alerts (strict schema: no extra
 * fields survive into the store).
 *
 * @example
 * validateAlerts([{ key: 'k' }]) // throws GangwanError GW_ERR_QUEUE_INVALID_ALERT: alerts[0] (k): ...
 */
export function validateAlerts (alerts: readonly unknown[]): Alert[] {
  if (!Array.isArray(alerts)) throw new GangwanError('GW_ERR_QUEUE_INVALID_ALERT', 'put expects an array of alerts')
  const out = new Array<Alert>(alerts.length)
  for (let i = 0; i < alerts.length; i++) {
    const parsed = AlertSchema.safeParse(alerts[i])
    if (!parsed.success) {
      const key = (alerts[i] as { key?: unknown } | null)?.key
      const label = typeof key === 'string' ? `alerts[${i}] (${key.slice(0, 300)})` : `alerts[${i}]`
      throw new GangwanError('GW_ERR_QUEUE_INVALID_ALERT', `${label}: ${z.prettifyError(parsed.error)}`)
    }
    out[i] = parsed.data
  }
  return out
}
