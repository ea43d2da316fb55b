import { z } from 'zod'

/**
 * Acoustic environment functional zone class of GB 3096-2008 §4: 0 (convalescence), 1
 * (residential), 2 (mixed), 3 (industrial), 4a (road traffic), 4b (railway).
 */
export const ZoneClassSchema = z.enum(['0', '1', '2', '3', '4a', '4b'])
export type ZoneClass = z.infer<typeof ZoneClassSchema>
