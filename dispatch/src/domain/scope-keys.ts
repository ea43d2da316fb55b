import type { Alert, MergeScope } from '@gangwan/contracts'
import { MergeScopeSchema } from '@gangwan/contracts'

/**
 * The key of an alert under a merge scope, or undefined when the alert's location lacks a field
 * the scope needs (a smoke alert without a fire zone has no `zone:` key, so zone rules never join it):
 * `device:<device>`, `zone:<building>/<zone>`, `floor:<building>/<floor>`, `building:<building>`,
 * `facade:<building>/<facade>`, `elevator:<elevator>`, `restaurant:<restaurant>`, `grid:<grid>`.
 * Keys are what the incident store indexes open incidents under (see `IncidentStore.applyAlert`).
 *
 * @example scopeKey('zone', alert) // 'zone:B03/Z12'
 */
export function scopeKey (scope: MergeScope, alert: Alert): string | undefined {
  const { building, floor, zone, facade, elevator, restaurant, grid } = alert.location
  switch (scope) {
    case 'device': return alert.device === undefined ? undefined : `device:${alert.device}`
    case 'zone': return building === undefined || zone === undefined ? undefined : `zone:${building}/${zone}`
    case 'floor': return building === undefined || floor === undefined ? undefined : `floor:${building}/${floor}`
    case 'building': return building === undefined ? undefined : `building:${building}`
    case 'facade': return building === undefined || facade === undefined ? undefined : `facade:${building}/${facade}`
    case 'elevator': return elevator === undefined ? undefined : `elevator:${elevator}`
    case 'restaurant': return restaurant === undefined ? undefined : `restaurant:${restaurant}`
    case 'grid': return `grid:${grid}`
  }
}

/**
 * Every defined key of the alert over all merge scopes: what an incident is indexed under once
 * the alert joins it, and what the store prefetches candidates by.
 *
 * @example scopeKeysOf(alert) // ['device:B03-F12-S01', 'zone:B03/Z12', 'floor:B03/12', 'building:B03', 'grid:G01']
 */
export function scopeKeysOf (alert: Alert): string[] {
  const keys: string[] = []
  for (const scope of MergeScopeSchema.options) {
    const key = scopeKey(scope, alert)
    if (key !== undefined) keys.push(key)
  }
  return keys
}
