import { describe, expect, it } from 'vitest'
import { HeartbeatSchema } from '../src/index.ts'
import { SEQUENCED_FIELDS, expectAccepted, expectRejected, fieldRejects, type RejectCase } from './support/table.ts'


const gateway = { seq: 12, ts: 1_763_800_000_000, uptimeS: 3600, rssiDbm: -67, spoolDepth: 0, drops: 0, cpuPct: 12.5, memMb: 48.2 }

const accepted: [string, unknown][] = [
  ['a gateway heartbeat', gateway],
  ['a battery device heartbeat', { seq: 12, ts: 1_763_800_000_000, uptimeS: 3600, batteryPct: 91 }],
  ['just booted, only the required fields', { seq: 0, ts: 1_763_800_000_000, uptimeS: 0 }],
  ['fractional uptime', { ...gateway, uptimeS: 0.25 }],
  ['range edges', { ...gateway, batteryPct: 0, rssiDbm: -150, cpuPct: 0, memMb: 0 }],
  ['range edges, upper (cpu summed over 256 cores)', { ...gateway, batteryPct: 100, rssiDbm: 0, cpuPct: 25_600 }],
  ['a deep spool after an outage', { ...gateway, spoolDepth: 1_250_000, drops: 3 }]
]

const rejected: RejectCase[] = fieldRejects(gateway, {
  ...SEQUENCED_FIELDS,
  uptimeS: { required: true, bad: [-1, '3600', null] },
  batteryPct: { required: false, bad: [-0.1, 100.1, '91'] },
  rssiDbm: { required: false, bad: [-150.1, 1, '-67'] },
  spoolDepth: { required: false, bad: [-1, 0.5, '0'] },
  drops: { required: false, bad: [-1, 2.5] },
  cpuPct: { required: false, bad: [-1, 25_600.1] },
  memMb: { required: false, bad: [-0.1, '48'] }
})

describe('HeartbeatSchema', () => {
  it.each(accepted)('accepts %s', (_name, input) => {
    expect(expectAccepted(HeartbeatSchema, input)).toEqual(input)
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(HeartbeatSchema, input, path)
  })
})
