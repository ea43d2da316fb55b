import type { ElevatorTelemetry } from '@gangwan/contracts'
import { featureList, type FeatureSet } from './feature-set.ts'
import { LOSS_NAMES, lossStats, sanitize } from './series-stats.ts'

/** What the elevator features need of a controller. */
export interface ElevatorPrepared {
  ratedSpeedMps: number
  intervalMs: number
}

const FEATURES = featureList([
  ['moving', 'fraction of reports with direction up or down'],
  ['speed.max', 'largest speedMps ÷ rated speed'],
  ['speed.meanMoving', 'mean speedMps while moving ÷ rated speed'],
  ['speed.meanStopped', 'mean speedMps while direction is stop ÷ rated speed (0 for a sound sensor)'],
  ['speed.nonzeroStopped', 'fraction of stopped reports with speedMps > 0'],
  ['speed.zeroMoving', 'fraction of moving reports with speedMps = 0'],
  ['speed.repeatsMoving', 'fraction of consecutive moving reports with the same speedMps'],
  ['speed.jump', 'log1p(largest speed change between reports ≤ 1.5 s apart ÷ (1 m/s² · Δt))'],
  ['floor.staticMoving', 'fraction of consecutive moving reports on the same floor'],
  ['floor.jump', 'log1p(largest floor change between reports ≤ 1.5 s apart)'],
  ['door.cycles', 'complete door-opening runs in the window ÷ 4'],
  ['door.openingMean', 'mean door-opening time, s ÷ 5 (0 without a complete run)'],
  ['door.openingMax', 'longest door-opening time, s ÷ 5'],
  ['door.closingMean', 'mean door-closing time, s ÷ 5'],
  ['door.closingMax', 'longest door-closing time, s ÷ 5'],
  ['door.openMean', 'mean time the door stands open, s ÷ 10'],
  ['door.movingNotClosed', 'fraction of moving reports whose door is not closed']
], LOSS_NAMES)

interface Run { door: string, from: number, until: number }

/** Complete runs of one door state: bounded by another state on both sides inside the window. */
function doorRuns (msgs: readonly ElevatorTelemetry[]): Run[] {
  const runs: Run[] = []
  let start = 0
  for (let i = 1; i <= msgs.length; i++) {
    if (i < msgs.length && msgs[i]!.door === msgs[start]!.door) continue
    if (start > 0 && i < msgs.length) runs.push({ door: msgs[start]!.door, from: msgs[start]!.ts, until: msgs[i]!.ts })
    start = i
  }
  return runs
}

function stats (runs: readonly Run[], door: string, unitS: number): [number, number] {
  const d = runs.filter((r) => r.door === door).map((r) => (r.until - r.from) / 1000)
  if (d.length === 0) return [0, 0]
  return [d.reduce((a, b) => a + b, 0) / d.length / unitS, Math.max(...d) / unitS]
}

/**
 * Elevator controllers (GB/T 24476-2017 real-time data): 120 reports (1 s during a trip, 10 s
 * idle), a window every 20. Sees a speed sensor stuck, drifting (speed while stopped) or spiking,
 * a stuck floor counter, lost reports, and door cycles taking longer (a wearing door operator).
 *
 * @example elevatorFeatures.extract(last120, elevatorFeatures.prepare(device)!) // Float32Array(19)
 */
export const elevatorFeatures: FeatureSet<'elevator', ElevatorPrepared> = {
  id: 'elevator/v1',
  kind: 'elevator',
  features: FEATURES,
  window: 120,
  stride: 20,
  prepare (dev) {
    const lift = dev.community.elevators.find((e) => e.id === dev.device.elevator)
    if (lift === undefined) return null
    return { ratedSpeedMps: lift.ratedSpeedMps, intervalMs: dev.settings.health.reportIntervalMs.elevator }
  },
  extract (msgs: readonly ElevatorTelemetry[], p) {
    const out = new Float32Array(FEATURES.length)
    const v = p.ratedSpeedMps
    let moving = 0; let maxSpeed = 0; let sumMoving = 0; let stopped = 0; let sumStopped = 0; let nonzeroStopped = 0
    let zeroMoving = 0; let pairsMoving = 0; let repeatsMoving = 0; let staticMoving = 0; let speedJump = 0; let floorJump = 0; let doorMoving = 0
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i]!
      maxSpeed = Math.max(maxSpeed, m.speedMps)
      if (m.direction === 'stop') {
        stopped++; sumStopped += m.speedMps; if (m.speedMps > 0) nonzeroStopped++
      } else {
        moving++; sumMoving += m.speedMps; if (m.speedMps === 0) zeroMoving++; if (m.door !== 'closed') doorMoving++
      }
      const prev = msgs[i - 1]
      if (prev === undefined) continue
      const dt = (m.ts - prev.ts) / 1000
      if (dt > 0 && dt <= 1.5) {
        speedJump = Math.max(speedJump, Math.abs(m.speedMps - prev.speedMps) / dt)
        floorJump = Math.max(floorJump, Math.abs(m.floor - prev.floor))
      }
      if (m.direction !== 'stop' && prev.direction !== 'stop') {
        pairsMoving++
        if (m.speedMps === prev.speedMps) repeatsMoving++
        if (m.floor === prev.floor) staticMoving++
      }
    }
    const runs = doorRuns(msgs)
    const values = [
      moving / msgs.length, maxSpeed / v, moving > 0 ? sumMoving / moving / v : 0, stopped > 0 ? sumStopped / stopped / v : 0,
      stopped > 0 ? nonzeroStopped / stopped : 0, moving > 0 ? zeroMoving / moving : 0, pairsMoving > 0 ? repeatsMoving / pairsMoving : 0,
      Math.log1p(speedJump), pairsMoving > 0 ? staticMoving / pairsMoving : 0, Math.log1p(floorJump),
      runs.filter((r) => r.door === 'opening').length / 4, ...stats(runs, 'opening', 5), ...stats(runs, 'closing', 5),
      stats(runs, 'open', 10)[0], moving > 0 ? doorMoving / moving : 0
    ]
    out.set(values)
    lossStats(msgs, p.intervalMs, out, values.length)
    return sanitize(out)
  }
}
