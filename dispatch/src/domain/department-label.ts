import type { Community } from '@gangwan/contracts'

/**
 * A department as audit reasons name it: its name and id (`Huaguoyuan street office S-1`), or the
 * bare id when the community file no longer lists it.
 *
 * @example departmentLabel(community, 'S-1') // 'Huaguoyuan street office S-1'
 */
export function departmentLabel (community: Community, id: string): string {
  const d = community.departments.find((x) => x.id === id)
  return d === undefined ? id : `${d.name} ${d.id}`
}
