import type { DeviceKind, Telemetry, TelemetryOf } from '@gangwan/contracts'

/**
 * A message after faults, with the indices (into the fault list) of the faults that changed it:
 * the ground-truth label. A message lost to a dropout is not there; the next one carries the tag.
 */
export interface FaultedMessage<K extends DeviceKind = DeviceKind> {
  msg: TelemetryOf<K>
  touched: readonly number[]
}

/** One fault as a step of the injector: messages in, messages out (a stage may hold some back). */
export interface FaultStage {
  push: (m: FaultedMessage) => FaultedMessage[]
  /** Releases whatever the stage still holds (end of the stream). */
  flush: () => FaultedMessage[]
}

/** Whether measurement time `t` falls in a fault's span. */
export function activeAt (span: { fromMs: number, untilMs?: number | undefined }, t: number): boolean {
  return t >= span.fromMs && (span.untilMs === undefined || t < span.untilMs)
}

/** Adds tag `index` to a message once. */
export function tag (m: FaultedMessage, index: number): FaultedMessage {
  return m.touched.includes(index) ? m : { msg: m.msg, touched: [...m.touched, index] }
}

/**
 * A stage that transforms each message on its own. `fn` receives a copy it may write and returns
 * whether it changed it, or `'lose'` to drop it; unchanged messages pass through as they came.
 *
 * @example mapStage(0, (msg) => msg.ts >= fromMs ? 'lose' : false) // drops everything from fromMs
 */
export function mapStage (index: number, fn: (msg: Telemetry) => boolean | 'lose'): FaultStage {
  let lostBefore = false
  return {
    push (m) {
      const copy = copyOf(m.msg)
      const r = fn(copy)
      if (r === 'lose') { lostBefore = true; return [] }
      let out: FaultedMessage = r ? { msg: copy as typeof m.msg, touched: m.touched } : m
      if (r || lostBefore) out = tag(out, index)
      lostBefore = false
      return [out]
    },
    flush: () => []
  }
}

function copyOf (msg: Telemetry): Telemetry {
  const out = { ...msg }
  if (out.kind === 'falling_object') out.trajectory = out.trajectory.map((p) => ({ ...p }))
  return out
}
