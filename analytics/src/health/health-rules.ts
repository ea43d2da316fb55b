import type { RuleInfo } from '../core/rule-info.ts'

/** A device that stopped reporting (or its own uplink, for a device without a gateway). */
export const HEALTH_OFFLINE: RuleInfo = {
  id: 'health.offline',
  version: '1',
  category: 'device_health',
  severity: 'P4',
  clause: 'GB 50440-2007 (devices polled at least every 2 h; communication faults shown at the centre); GB 26875.1 (transmission device reports link faults)',
  title: 'Device offline',
  description: 'Raised when a device with periodic reports (fire, elevator, fume, noise) sends nothing for ' +
    '`health.offlineAfterMissed` × `health.reportIntervalMs[kind]` of measurement time, counted from its last message ' +
    '(or from the monitor\'s first tick, or from its gateway\'s return). While its gateway is itself silent the device ' +
    'waits for the gateway rule instead, so one outage is one alert. P3 for fire detectors (a blind spot in fire ' +
    'coverage). A device-level `offline` status raises it at once; a planned shutdown (reason `shutdown`) only if the ' +
    'device is not back within its limit. A silence no tick saw (the measurement clock stalls ' +
    'while fewer than 3 devices report) is raised, dated when the limit passed, when the next message ends it. ' +
    'The silence must also have lasted `health.deliveryStallMs` of wall time (arrival times): a stalled MQTT ' +
    'connection delays a whole gateway for a moment, which in a 600× replay is minutes of measurement time and must ' +
    'not read as an outage; in real time every limit (30 s and more) is longer anyway. ' +
    'Cleared by the next telemetry, heartbeat or `online` status.'
}

/** A gateway whose uplink is down: every device behind it is unheard. */
export const HEALTH_GATEWAY_OFFLINE: RuleInfo = {
  id: 'health.gateway-offline',
  version: '1',
  category: 'device_health',
  severity: 'P3',
  clause: 'GB 50440-2007 (communication faults shown at the centre); GB 26875.1 (transmission device link fault)',
  title: 'Gateway offline',
  description: 'Raised at once on the gateway\'s MQTT last will (`offline` status), or when neither its heartbeat ' +
    'nor any of its devices\' telemetry arrives for `health.offlineAfterMissed` × `health.heartbeatIntervalMs` ' +
    '(and `health.deliveryStallMs` of wall time, as for `health.offline`). A planned shutdown (status reason `shutdown`) ' +
    'is raised only if the gateway is not back within that limit. ' +
    'Covers its devices (values `devicesBehind`): none of them raises its own offline alert for the same outage. ' +
    'Cleared by the next heartbeat, telemetry through it or `online` status.'
}

/** Sequence numbers missing: data lost between device and hub. */
export const HEALTH_SEQ_GAP: RuleInfo = {
  id: 'health.seq-gap',
  version: '1',
  category: 'device_health',
  severity: 'P4',
  clause: 'Gangwan protocol v1 (DESIGN decision 3: per-device monotonically increasing seq detects loss end to end)',
  title: 'Telemetry lost upstream',
  description: 'Raised when a device\'s telemetry seq jumps by at least `health.minSeqGap` + 1 (values: device, ' +
    'expected, got, missing). A lower seq whose ts moved forward is a device restart (its counter restarted) and ' +
    'starts a new sequence; a lower seq with an earlier ts is a late delivery and fills the gap. Gaps during an ' +
    'alerted outage of the device or its gateway raise nothing more; gaps during a gateway\'s brief silence (under ' +
    'its offline limit) go to one alert on the gateway (values devicesInEpisode). Cleared once late messages fill ' +
    'every gap, or after `health.seqGapClearMessages` in-order messages (of the device, or of any device behind the gateway).'
}

/** A device clock away from the community's measurement clock. */
export const HEALTH_CLOCK_SKEW: RuleInfo = {
  id: 'health.clock-skew',
  version: '1',
  category: 'device_health',
  severity: 'P4',
  clause: 'GB 50440-2007 (clocks of monitored devices and centre within 5 s)',
  title: 'Device clock skewed',
  description: 'Compares each message\'s (ts − receivedAt) with the median of the other sources\' (drift-corrected, ' +
    'so a time-compressed replay works): those of its own MQTT connection (a gateway\'s devices and heartbeat share ' +
    'its queues, so a backlog shifts them alike), else the whole community\'s. Raised after ' +
    '`health.clockSkewMessages` consecutive messages off by more than `health.maxClockSkewMs` + s × ' +
    '`health.arrivalJitterMs` with a stable offset (a spool backfill is late, not skewed), the run lasting at least ' +
    '`health.deliveryStallMs` of wall time (`health.connectionLagMs` when judged against the community, where a late ' +
    'connection looks alike); s is the speed of measurement time against the wall clock (1 in real time: 5.1 s; 600 ' +
    'in a 600× replay, where 100 ms of arrival jitter is a minute). Cleared after as many messages within the limit, ' +
    'over as long a wall time.'
}

/** An analogue sensor that does not move: stuck, disconnected or faked. */
export const HEALTH_FLAT_LINE: RuleInfo = {
  id: 'health.flat-line',
  version: '1',
  category: 'device_health',
  severity: 'P4',
  clause: 'Practice: a live analogue sensor always shows noise; a constant reading is a stuck or tampered probe (DOMAIN.md §3)',
  title: 'Sensor reading flat-lined',
  description: 'Raised when `health.flatLineSamples` consecutive valid samples of a fire detector\'s temperatureC or ' +
    'smokeDbM or a noise meter\'s leq are identical. Fume monitors are judged by `fume.probe-flat`. Cleared by the ' +
    'first sample that differs.'
}

/** A battery running down. */
export const HEALTH_LOW_BATTERY: RuleInfo = {
  id: 'health.low-battery',
  version: '1',
  category: 'device_health',
  severity: 'P4',
  clause: 'Practice (verify: GB 26250-2010 wireless fire devices signal low battery); DOMAIN.md §1 low battery',
  title: 'Battery low',
  description: 'Raised when a heartbeat\'s or fire telemetry\'s batteryPct falls below `fire.lowBatteryPct` (fire ' +
    'detectors) or `health.lowBatteryPct` (others). Cleared once it is at least `health.batteryHysteresisPct` above ' +
    'the threshold (a replaced battery).'
}

/** Every device-health rule, for docs/analytics.md. */
export const HEALTH_RULES: readonly RuleInfo[] = [
  HEALTH_OFFLINE, HEALTH_GATEWAY_OFFLINE, HEALTH_SEQ_GAP, HEALTH_CLOCK_SKEW, HEALTH_FLAT_LINE, HEALTH_LOW_BATTERY
]
