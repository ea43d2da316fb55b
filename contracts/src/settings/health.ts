import { z } from 'zod'

const ms = z.number().int().positive()

/**
 * Device-health rule settings of a site (analytics/src/health). Defaults from DOMAIN.md §1 and
 * practice; every value is per-site configuration.
 *
 * @example HealthSettingsSchema.parse({ maxClockSkewMs: 2000 }).offlineAfterMissed // 3
 */
export const HealthSettingsSchema = z.object({
  /** A device is offline after this many of its expected report intervals pass without data. */
  offlineAfterMissed: z.number().int().positive().default(3),
  /** Expected report interval per kind when idle, ms (cameras report only events: their gateway's heartbeat stands in). */
  reportIntervalMs: z.object({
    fire: ms.default(60_000), elevator: ms.default(10_000), fume: ms.default(60_000), noise: ms.default(60_000)
  }).strict().prefault({}),
  /** Expected heartbeat interval of a gateway or direct device, ms. */
  heartbeatIntervalMs: ms.default(60_000),
  /** A device clock off the community's by more than this is skewed (GB 50440-2007: clocks within 5 s). */
  maxClockSkewMs: ms.default(5_000),
  /** Consecutive messages beyond `maxClockSkewMs` that flag a skewed clock; as many within it clear the alert. */
  clockSkewMessages: z.number().int().positive().default(3),
  /**
   * Longest stall of a delivery path the hub tolerates, in wall-clock ms (broker and journal
   * queues, a TCP retransmit, a GC pause): a device or gateway is offline only once its silence
   * has lasted this long in wall time too, and a clock offset counts as skew only once it has
   * persisted this long. Measurement time runs s times faster than the wall clock in a
   * time-compressed replay (s = 600 in `npm run eval`), where such a stall looks like s times as
   * much silence; in real time (s = 1) every offline limit and skew run is far longer already.
   */
  deliveryStallMs: ms.default(2_000),
  /**
   * Uncertainty of one message's arrival time, wall-clock ms (delivery jitter between MQTT
   * connections): the clock-skew limit is widened by s × this, s the measurement clock's speed
   * (1 in real time: 5 s becomes 5.1 s; 600 in a 600× replay, where 100 ms of jitter is a minute).
   */
  arrivalJitterMs: ms.default(100),
  /**
   * How long one MQTT connection's messages may trail the others' in wall-clock ms (its backlog
   * draining): a source judged against the whole community rather than against the other sources
   * of its own connection (a direct device, a gateway with too few devices) counts as skewed only
   * once its offset has lasted this long, since a late connection and a wrong clock look alike
   * until the backlog would have drained. In real time three 60 s reports take longer anyway.
   */
  connectionLagMs: ms.default(60_000),
  /** Missing sequence numbers in a row that are reported as data lost upstream. */
  minSeqGap: z.number().int().positive().default(1),
  /** Consecutive in-order messages after the last gap that clear a sequence-gap alert. */
  seqGapClearMessages: z.number().int().positive().default(10),
  /** This many identical consecutive readings of an analogue sensor is a flat line. */
  flatLineSamples: z.number().int().positive().default(30),
  /** Battery level under which a device or gateway is low, % (fire detectors use `fire.lowBatteryPct`). */
  lowBatteryPct: z.number().min(0).max(100).default(20),
  /** A low-battery alert clears only once the level is this far above its threshold, % (cell voltage sags in the cold). */
  batteryHysteresisPct: z.number().min(0).max(100).default(5)
}).strict()
export type HealthSettings = z.infer<typeof HealthSettingsSchema>
