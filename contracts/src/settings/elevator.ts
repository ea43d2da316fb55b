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
  overSpeedTrip: z.number().min(1).default(1.4)
}).strict()
export type ElevatorSettings = z.infer<typeof ElevatorSettingsSchema>
