import { z } from 'zod'

const ms = z.number().int().positive()

/**
 * Fire rule settings of a site. Defaults from DOMAIN.md §1; values marked *verify* are practice,
 * not a clause of the standard, and are meant to be tuned per site.
 */
export const FireSettingsSchema = z.object({
  /** Smoke pre-alarm level in dB/m (GB 4715-2024 §5.7: type A responds at ≥ 0.05 dB/m). */
  smokeDbM: z.number().positive().default(0.05),
  /** Fixed-temperature alarm per heat class in °C: the lower end of the static response range (GB 4716 / EN 54-5). */
  fixedTemperatureC: z.object({
    A1: z.number().default(54), A2: z.number().default(54), B: z.number().default(69), C: z.number().default(84)
  }).strict().prefault({}),
  /** Heat class assumed for a detector whose class the inventory does not give. */
  defaultHeatClass: z.enum(['A1', 'A2', 'B', 'C']).default('A1'),
  /** Rate-of-rise alarm in °C/min (class R detectors; *verify*: UL 521 uses 8.3 °C/min). */
  rateOfRiseCPerMin: z.number().positive().default(8.3),
  /** Window over which a second independent trigger in the same zone confirms a fire (GB 50116 §4.1.6; *verify*). */
  confirmWindowMs: ms.default(300_000),
  /** Battery level under which a detector goes to device health, %. */
  lowBatteryPct: z.number().min(0).max(100).default(20),
  /** Smoke and rate-of-rise alarms clear below this share of their alarm level (hysteresis; *verify*). */
  clearRatio: z.number().positive().max(1).default(0.8),
  /** A fixed-temperature alarm clears this many °C under its alarm temperature (hysteresis; *verify*). */
  heatClearMarginC: z.number().nonnegative().default(3),
  /**
   * Rate of rise is measured against the newest sample at least this old, so fast alarm-time
   * reports (seconds apart) do not turn ±0.1 °C of noise into a steep slope (*verify*).
   */
  rateOfRiseMinSpanMs: ms.default(30_000),
  /** Nor against one older than this: three 60 s report intervals, so two lost reports still give a rate. */
  rateOfRiseWindowMs: ms.default(180_000),
  /**
   * Dirty chamber (DOMAIN.md §1, drift): a smoke chamber's clean-air reading is this low
   * percentile of its readings over `dirtyChamberWindowMs`, leaving out those in alarm or at
   * `smokeDbM` and over (a fire is not dust). Smoke bursts shorter than most of the window do
   * not move it; dust, which raises every reading, does. The window is short enough to see a
   * chamber that fouls within the hour before it crosses the pre-alarm level (*verify*).
   */
  dirtyChamberPercentile: z.number().min(0).max(0.5).default(0.1),
  dirtyChamberWindowMs: ms.default(600_000),
  /**
   * The chamber is dirty once its clean-air reading has risen this much, dB/m, over the cleanest
   * the hub has seen of it (20 % of the type A response, *verify*) ...
   */
  dirtyChamberRiseDbM: z.number().positive().default(0.01),
  /** ... or stands at this share of `smokeDbM` or more (a chamber already dirty when first seen; *verify*). */
  dirtyChamberShare: z.number().positive().max(1).default(0.5)
}).strict()
export type FireSettings = z.infer<typeof FireSettingsSchema>
