import { describe, expect, it } from 'vitest'
import { TelemetrySchema, type FireTelemetry } from '@gangwan/contracts'
import { createDeviceSimulation, floorLevels, isOpen } from '../src/index.ts'
import { clockHours, createLocalClock } from '../src/local-clock.ts'
import { community, itemOf, longestRun, longestRunLength, playExample, telemetryOf } from './scenario-support.ts'

const clock = createLocalClock(community.timezone)
const fireSettings = community.analytics.fire
const triggering = (m: FireTelemetry): boolean => m.alarm || m.manualCall === true || (m.smokeDbM ?? 0) >= fireSettings.smokeDbM

describe('example scenarios played without MQTT', () => {
  it('b03-fire: smoke over the pre-alarm 15 s in, the detector alarms at 60 s, the call point at 90 s: two triggers of zone B03-F12', async () => {
    const { scenario, truth, msgs } = await playExample('b03-fire', { untilMs: (s) => s.startMs + 35 * 60_000 })
    const fire = itemOf(truth, 'fire-1')
    const at = scenario.incidents[0]!.atMs
    expect(fire.match).toEqual({ building: 'B03', zone: 'B03-F12', devices: ['B03-F12-S01', 'B03-F12-M01'] })
    const smoke = telemetryOf(msgs, 'B03-F12-S01', 'fire')
    const call = telemetryOf(msgs, 'B03-F12-M01', 'fire')
    expect([...smoke, ...call].filter((m) => m.ts < at && triggering(m))).toEqual([])
    expect(smoke.find((m) => (m.smokeDbM ?? 0) >= fireSettings.smokeDbM)?.ts).toBe(at + 15_000)
    expect(smoke.find((m) => m.alarm)?.ts).toBe(at + 60_000)
    expect(call.find((m) => m.manualCall === true)?.ts).toBe(at + 90_000)
    // From 90 s on, both devices of the zone report a trigger in every message until the reset.
    const during = [...smoke, ...call].filter((m) => m.ts >= at + 90_000 && m.ts < fire.endMs)
    expect(during.length).toBeGreaterThan(40)
    expect(during.every(triggering)).toBe(true)
    expect(smoke.filter((m) => m.ts >= fire.endMs).every((m) => !m.alarm && (m.smokeDbM ?? 0) < 0.03)).toBe(true)
    expect(msgs.filter((m) => m.kind !== 'heartbeat' && !TelemetrySchema.safeParse(m.payload).success)).toEqual([])
  })

  it('elevator-trapped: each car stands with its door shut and a passenger in for far over 60 s, then the door opens at the end', async () => {
    const { truth, msgs } = await playExample('elevator-trapped')
    for (const [id, lift, atLanding] of [['trap-landing', 'E-B03-1', true], ['trap-between', 'E-B08-2', false]] as const) {
      const item = itemOf(truth, id)
      expect(item.expect?.ruleIds).toEqual([atLanding ? 'elevator.trapped_at_landing' : 'elevator.trapped_between_floors'])
      const reports = telemetryOf(msgs, lift, 'elevator')
      const trapped = (m: (typeof reports)[number]): boolean =>
        m.direction === 'stop' && m.speedMps === 0 && m.door === 'closed' && m.passenger && m.inDoorZone === atLanding
      const run = longestRun(reports, trapped)!
      expect(run[0].ts).toBe(item.startMs)
      expect(run[1].ts - run[0].ts).toBeGreaterThan(community.analytics.elevator.trappedAfterMs)
      expect(item.endMs - run[1].ts).toBeLessThanOrEqual(10_000)
      // The door opens at the labelled end: the rescue.
      expect(reports.find((m) => m.ts >= item.endMs)).toMatchObject({ door: 'opening', passenger: true, inDoorZone: true })
      if (!atLanding) expect(reports.filter((m) => trapped(m)).every((m) => m.faultCodes.includes('E35'))).toBe(true)
    }
  })

  it('restaurant-purifier-off: fan on and purifier off for the whole half hour in opening hours; R-09 over its limit in every sample', async () => {
    const { scenario, truth, msgs } = await playExample('restaurant-purifier-off')
    const off = itemOf(truth, 'purifier-off-1')
    const r02 = community.restaurants.find((r) => r.id === 'R-02')!
    const hours = r02.openingHours.map((i) => [clockHours(i.open), clockHours(i.close)] as const)
    const inside = telemetryOf(msgs, 'R-02', 'fume').filter((m) => m.ts >= off.startMs && m.ts < off.endMs)
    expect(inside.length).toBeGreaterThanOrEqual(29)
    expect(inside.every((m) => m.fanOn && !m.purifierOn && m.purifierCurrentA === 0 && isOpen(hours, clock.hourOfDay(m.ts)))).toBe(true)
    expect(telemetryOf(msgs, 'R-02', 'fume').filter((m) => m.ts < off.startMs || m.ts >= off.endMs).every((m) => m.purifierOn === m.fanOn)).toBe(true)
    const over = itemOf(truth, 'fume-over-1')
    const r09 = telemetryOf(msgs, 'R-09', 'fume')
    const limit = community.restaurants.find((r) => r.id === 'R-09')!.fumeLimitMgM3
    expect(longestRunLength(r09, (m) => m.fumeMgM3 > limit)).toBeGreaterThanOrEqual(community.analytics.fume.exceedanceSamples)
    expect(r09.filter((m) => m.ts >= over.startMs && m.ts < over.endMs).every((m) => m.fumeMgM3 > 1.2 * limit)).toBe(true)
    expect(r09.filter((m) => m.ts < over.startMs || m.ts >= over.endMs).every((m) => m.fumeMgM3 <= limit)).toBe(true)
    expect(scenario.incidents.map((i) => i.type)).toEqual(['purifier_off', 'fume_exceedance'])
  })

  it('ktv-night: the KTV minutes read Leq 72 ± 0.5 and Lmax ≥ 85, valid, at night; every other meter stays inside its limits', async () => {
    const { truth, msgs, scenario } = await playExample('ktv-night')
    const ktv = itemOf(truth, 'ktv-1')
    const inc = scenario.incidents[0]!
    const minutes = telemetryOf(msgs, 'N-G01-01', 'noise').filter((m) => m.ts > inc.atMs && m.ts <= inc.untilMs)
    expect(minutes).toHaveLength(60)
    expect(minutes.every((m) => m.valid && Math.abs(m.leq - 72) <= 0.5 && m.lmax >= 85 && m.lmax <= 87)).toBe(true)
    expect(ktv.expect).toEqual({ ruleIds: ['noise.leq', 'noise.night-sudden', 'noise.night-frequent'], severity: 'P3' })
    // The compliant background: no other meter's hour or night minute breaks GB 3096-2008 / GB 12348-2008 limits.
    const s = community.analytics.noise
    for (const d of community.devices) {
      if (d.kind !== 'noise' || d.id === 'N-G01-01') continue
      const zone = d.zoneClass ?? community.grids.find((g) => g.id === community.buildings.find((b) => b.id === d.building)!.grid)!.zoneClass
      const night = s.limits[zone].night
      const valid = telemetryOf(msgs, d.id, 'noise').filter((m) => m.valid)
      expect(valid.filter((m) => m.lmax > night + s.frequentExcessDb)).toEqual([])
      const hours = Map.groupBy(valid, (m) => Math.floor((m.ts - 1) / 3_600_000))
      for (const hour of hours.values()) {
        const leq = 10 * Math.log10(hour.reduce((a, m) => a + 10 ** (m.leq / 10), 0) / hour.length)
        expect(leq).toBeLessThan(night)
      }
    }
  })

  it('thrown-object: the camera reports a free fall released at the given time from a window of floor 17, and every natural track is labelled', async () => {
    const { scenario, truth, msgs } = await playExample('thrown-object')
    const throw1 = scenario.incidents.find((i) => i.id === 'throw-1')!
    const [event, ...more] = telemetryOf(msgs, 'CAM-B05-S', 'falling_object').filter((m) => m.eventId.endsWith('-throw-1'))
    expect(more).toEqual([])
    const building = community.buildings.find((b) => b.id === 'B05')!
    const level = floorLevels(building).levelM(17)
    // Released from the sill (0.9–1.5 m over the slab); the tracker locks on within 0.3 s.
    expect(event!.ts - throw1.atMs).toBeGreaterThanOrEqual(0)
    expect(event!.ts - throw1.atMs).toBeLessThanOrEqual(300)
    expect(event!.trajectory[0]!.h).toBeGreaterThan(level + 0.9 - 0.6)
    expect(event!.trajectory[0]!.h).toBeLessThan(level + 1.5 + 0.3)
    expect(event!.trajectory[0]!.h - event!.trajectory.at(-1)!.h).toBeGreaterThan(2 * 3)
    expect(itemOf(truth, 'throw-1').expect).toEqual({ ruleIds: ['falling_object.thrown'], severity: 'P1', floor: 17 })
    // Birds and leaves (nonPhysicalPerWeek: 20): each camera event is an incident or a labelled background item.
    const events = msgs.filter((m) => m.kind === 'falling_object').map((m) => m.payload as { eventId: string, ts: number })
    const background = truth.filter((t) => t.type === 'background_non_physical')
    expect(background.length).toBeGreaterThan(3)
    const explained = (e: { eventId: string }): boolean => truth.some((t) => t.id === `background-${e.eventId}` || e.eventId.endsWith(`-${t.id}`))
    expect(events.filter((e) => !explained(e))).toEqual([])
    expect(events).toHaveLength(truth.length)
    for (const b of background) expect(events.find((e) => `background-${e.eventId}` === b.id)!.ts).toBe(b.startMs)
  })

  it('dusty-detector: the chamber reading drifts past 0.05 dB/m, the detector alarms at the end of the ramp, nothing else in its zone triggers', async () => {
    const { scenario, truth, msgs } = await playExample('dusty-detector')
    const inc = scenario.incidents[0]!
    const dusty = itemOf(truth, 'dusty-1')
    const reports = telemetryOf(msgs, 'B02-F07-S01', 'fire')
    const rampEnd = inc.atMs + 30 * 60_000
    expect(reports.filter((m) => m.ts < inc.atMs).every((m) => m.smokeDbM! < 0.03 && !m.alarm)).toBe(true)
    const crossing = reports.find((m) => m.smokeDbM! >= fireSettings.smokeDbM)!
    expect(crossing.ts).toBeGreaterThan(inc.atMs)
    expect(crossing.ts).toBeLessThan(rampEnd)
    // A slow rise: no report jumps by more than a few thousandths of a dB/m.
    const rising = reports.filter((m) => m.ts >= inc.atMs && m.ts < rampEnd)
    expect(Math.max(...rising.slice(1).map((m, i) => m.smokeDbM! - rising[i]!.smokeDbM!))).toBeLessThan(0.01)
    expect(reports.find((m) => m.alarm)!.ts).toBe(rampEnd)
    expect(reports.filter((m) => m.ts >= rampEnd && m.ts < inc.untilMs).every((m) => m.alarm)).toBe(true)
    const others = community.devices.filter((d) => d.kind === 'fire' && d.zone === 'B02-F07' && d.id !== 'B02-F07-S01')
    expect(others.length).toBeGreaterThan(0)
    for (const d of others) expect(telemetryOf(msgs, d.id, 'fire').filter(triggering)).toEqual([])
    expect(dusty).toMatchObject({ category: 'device_health', lifeSafety: false, forbid: [{ category: 'fire', severity: 'P1' }] })
  })

  it('detector-drift: the drifting detector reads its clean stream plus 0.01 dB/m per hour since the fault began, to the instrument resolution', async () => {
    const { scenario, msgs } = await playExample('detector-drift', { untilMs: (s) => s.startMs + 90 * 60_000 })
    const inc = scenario.incidents.find((i) => i.id === 'drift-1')!
    const clean = createDeviceSimulation(community, { seed: scenario.seed, startMs: scenario.startMs }).pullUntil(scenario.startMs + 90 * 60_000)
    const faulted = telemetryOf(msgs, 'B01-F03-S01', 'fire')
    const plain = telemetryOf(clean, 'B01-F03-S01', 'fire')
    expect(faulted.map((m) => m.ts)).toEqual(plain.map((m) => m.ts))
    faulted.forEach((m, i) => {
      const offset = m.ts < inc.atMs ? 0 : (0.01 * (m.ts - inc.atMs)) / 3_600_000
      expect(Math.abs(m.smokeDbM! - plain[i]!.smokeDbM! - offset)).toBeLessThanOrEqual(0.0006)
    })
    // The lossy radio link: a third of B04-F10-S01's reports missing, leaving gaps in its seq.
    const lossy = telemetryOf(msgs, 'B04-F10-S01', 'fire')
    const gaps = lossy.slice(1).filter((m, i) => m.seq !== lossy[i]!.seq + 1).length
    expect(gaps).toBeGreaterThan(5)
  })

  it('plays the same stream for the same seed, and another for another seed', async () => {
    const firstMinutes = (s: { startMs: number }): number => s.startMs + 15 * 60_000
    const a = await playExample('b03-fire', { untilMs: firstMinutes })
    const b = await playExample('b03-fire', { untilMs: firstMinutes })
    const c = await playExample('b03-fire', { untilMs: firstMinutes, overrides: { seed: 8 } })
    expect(b.msgs).toEqual(a.msgs)
    expect(b.truth).toEqual(a.truth)
    const payloads = (x: typeof a): string[] => x.msgs.map((m) => JSON.stringify(m.payload))
    expect(payloads(c)).not.toEqual(payloads(a))
    // The incident's own timing does not depend on the seed.
    expect(telemetryOf(c.msgs, 'B03-F12-S01', 'fire').find((m) => m.alarm)?.ts).toBe(c.scenario.incidents[0]!.atMs + 60_000)
  })
})
