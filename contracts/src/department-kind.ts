import { z } from 'zod'

/** Kinds of department an incident can be routed to (DOMAIN.md §6). */
export const DepartmentKindSchema = z.enum([
  'fire_control_room', 'fire_brigade', 'elevator_maintenance', 'urban_management', 'environment',
  'property', 'police', 'community', 'street', 'district', 'device_maintenance'
])
export type DepartmentKind = z.infer<typeof DepartmentKindSchema>
