import { DeviceKindSchema, IdSchema, type DeviceKind } from '@gangwan/contracts'
import { z } from 'zod'

/** Whether a device is reporting: `unknown` when nothing was heard from it (or its stand-in) lately. */
export const DEVICE_STATES = ['online', 'offline', 'unknown'] as const
export const DeviceStateSchema = z.enum(DEVICE_STATES)
export type DeviceState = z.infer<typeof DeviceStateSchema>

/** One device of the community's inventory with what the hub knows of its health. */
export const DeviceStatusSchema = z.object({
  id: IdSchema,
  kind: DeviceKindSchema,
  building: IdSchema,
  /** Fire detectors: their floor and fire zone. */
  floor: z.number().int().optional(),
  zone: IdSchema.optional(),
  /** Absent for a device that connects to the hub directly. */
  gateway: IdSchema.optional(),
  status: DeviceStateSchema,
  /** Measurement time of its latest message (epoch ms). */
  lastSeenAt: z.number().int().optional(),
  /** From its latest reading that carried one, %. */
  batteryPct: z.number().min(0).max(100).optional(),
  /** Incidents involving it that were closed as false alarms. */
  falseAlarms: z.number().int().nonnegative()
})
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>

/** Devices online, offline and unknown in one building. */
export const DeviceCountsSchema = z.object({
  online: z.number().int().nonnegative(),
  offline: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative()
})
export type DeviceCounts = z.infer<typeof DeviceCountsSchema>

/** What {@link DeviceDirectory.list} filters and pages by. */
export interface DeviceQuery {
  building?: string
  kind?: DeviceKind
  status?: DeviceState
  /** 1–1000. */
  limit: number
  offset: number
}

/**
 * The device registry with each device's status, as the operator console shows it. The hub
 * implements it over InfluxDB and dispatch (the dashboard does not import either).
 *
 * @example
 * const { items, total } = await directory.list({ building: 'B01', status: 'offline', limit: 50, offset: 0 })
 */
export interface DeviceDirectory {
  /** Devices in inventory order, filtered, then paged; `total` counts the filtered devices. */
  list: (query: DeviceQuery) => Promise<{ items: DeviceStatus[]; total: number }>
  /** Per building id (every building, zeros included): devices online, offline, unknown. */
  summary: () => Promise<Record<string, DeviceCounts>>
}
