import type { DeviceKind, TelemetryOf } from '@gangwan/contracts'
import type { CommunityContext, DeviceContext } from './context.ts'
import type { RuleInfo } from './rule-info.ts'
import type { Signal } from './signal.ts'

/**
 * Rules of one device, with its windows as private state. Pure apart from that state: no clock,
 * no I/O. Timers run on measurement time: `tick` is called with the community's measurement clock
 * (the watermark of all devices' `ts`) so a silent device's timer still expires.
 */
export interface DeviceAnalyzer<K extends DeviceKind> {
  observe: (msg: TelemetryOf<K>) => Signal[]
  tick?: (nowMs: number) => Signal[]
}

/**
 * A stage across devices of one kind, fed the signals of its devices' analyzers (fire: the
 * double knock of GB 50116 §4.1.6, two independent triggers in one zone confirm a fire).
 */
export interface Correlator {
  accept: (signals: readonly Signal[]) => Signal[]
  tick?: (nowMs: number) => Signal[]
}

/** Everything analytics knows about one device kind: its rules, per-device analyzer, correlator. */
export interface KindAnalytics<K extends DeviceKind> {
  kind: K
  rules: readonly RuleInfo[]
  forDevice: (ctx: DeviceContext<K>) => DeviceAnalyzer<K>
  correlator?: (ctx: CommunityContext) => Correlator
}
