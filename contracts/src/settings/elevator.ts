import { z } from 'zod'

const ms = z.number().int().positive()

/** Elevator rule settings of a site (GB/T 24476-2017 event types; DOMAIN.md §2). */
export const ElevatorSettingsSchema = z.object({
  /** Stopped with the door shut and a passenger inside this long → trapped (platforms use 40–90 s). */
  trappedAfterMs: ms.default(60_000),
  /** A fault must hold this long before it is raised, to drop glitches. */
  faultHoldMs: ms.default(5_000),
  /** Over-speed levels as multiples of the rated speed. */
  overSpeedWarn: z.number().min(1).default(1.2),
  overSpeedTrip: z.number().min(1).default(1.4),
  /** An over-speed level clears when speed ÷ rated speed falls this far under it (hysteresis). */
  overSpeedClearMargin: z.number().nonnegative().default(0.05),
  /** At or under this speed, m/s, a car reported as `stop` is standing; above it, the car is running. */
  stoppedSpeedMps: z.number().nonnegative().default(0.05),
  /**
   * Hold for the safety events of a moving car (door open while running, moving with the door
   * open, over-speed). 0 by default: the safety circuit stops the car within a second or two, so
   * at 1 s reporting a hold of `faultHoldMs` would drop the real events; raise it on a site with
   * glitchy controllers.
   */
  eventHoldMs: z.number().int().nonnegative().default(0)
}).strict()
export type ElevatorSettings = z.infer<typeof ElevatorSettingsSchema>
