import type { Status } from '@gangwan/contracts'
import { stringField } from './line-protocol.ts'

/** Fields of the `status` measurement: `state` ('online' | 'offline') and the optional `reason`. */
export function statusFields (m: Status): string {
  let s = 'state="' + m.state + '"'
  if (m.reason !== undefined) s += ',reason=' + stringField(m.reason)
  return s
}
