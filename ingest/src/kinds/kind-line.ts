import type { Device, DeviceKind, TelemetryOf } from '@gangwan/contracts'

/**
 * How one device kind is stored in InfluxDB: its field set (line protocol, without the series key
 * and time) and any tags beyond device, building and grid. One module per kind (STYLE: per-kind
 * behaviour lives with its kind).
 */
export interface KindLine<K extends DeviceKind> {
  fields: (m: TelemetryOf<K>) => string
  extraTags?: (d: Extract<Device, { kind: K }>) => Record<string, string>
}
