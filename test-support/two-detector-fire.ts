import type { MqttClient } from 'mqtt'
import { topics, type FireTelemetry } from '@gangwan/contracts'
import { publishAcked } from './mqtt-client.ts'

/** A smoke detector's reading (`smokeDbM` dB/m; 0.05 is GB 4715-2024's type A threshold). */
export const smoke = (seq: number, ts: number, smokeDbM: number): FireTelemetry =>
  ({ kind: 'fire', seq, ts, smokeDbM, temperatureC: 23, alarm: smokeDbM >= 0.05, fault: false, tamper: false, batteryPct: 90 })

/**
 * A fire confirmed by two detectors of one zone (GB 50116-2013 §4.1.6) in the mini community
 * (`test-support/fixtures/mini-community.json`, gateway GW-B01, zone B01-F12): a quiet reading from
 * both, then S01 alarms at t0 + 60 s and S02 follows 40 s later. Each publish waits for its PUBACK.
 */
export async function publishTwoDetectorFire (gw: MqttClient, t0: number): Promise<void> {
  for (const [i, dev] of ['B01-F12-S01', 'B01-F12-S02'].entries()) {
    await publishAcked(gw, topics.telemetry('GW-B01', dev), JSON.stringify(smoke(1, t0 + i * 1000, 0.01)))
  }
  await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(smoke(2, t0 + 60_000, 0.3)))
  await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S02'), JSON.stringify(smoke(2, t0 + 100_000, 0.25)))
}
