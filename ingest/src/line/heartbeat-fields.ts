import type { Heartbeat } from '@gangwan/contracts'

/** Fields of the `heartbeat` measurement; `seq`, `spoolDepth` and `drops` are integers per the schema. */
export function heartbeatFields (m: Heartbeat): string {
  let s = 'seq=' + m.seq + 'i,uptimeS=' + m.uptimeS
  if (m.batteryPct !== undefined) s += ',batteryPct=' + m.batteryPct
  if (m.rssiDbm !== undefined) s += ',rssiDbm=' + m.rssiDbm
  if (m.spoolDepth !== undefined) s += ',spoolDepth=' + m.spoolDepth + 'i'
  if (m.drops !== undefined) s += ',drops=' + m.drops + 'i'
  if (m.cpuPct !== undefined) s += ',cpuPct=' + m.cpuPct
  if (m.memMb !== undefined) s += ',memMb=' + m.memMb
  return s
}
