import type { CommunityInput } from '@gangwan/contracts'

type DepartmentInput = NonNullable<CommunityInput['departments']>[number]

/** Splits `items` into `n` contiguous, nearly equal chunks (some may be empty when n > items). */
export function chunk<T> (items: readonly T[], n: number): T[][] {
  return Array.from({ length: n }, (_, k) => items.slice(Math.floor((k * items.length) / n), Math.floor(((k + 1) * items.length) / n)))
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
const unique = (xs: readonly string[]): string[] => [...new Set(xs)]

// Fictional company names: the real community's contractors are not named here.
const ELEVATOR_COMPANIES = ['黔城电梯维保有限公司', '筑安电梯工程有限公司', '云岭电梯服务有限公司']
const STREETS = ['花果园街道办事处', '五里冲街道办事处']
// Fictional people: surnames and given names are combined by position, not drawn from anyone real.
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙']
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '军', '杰', '娟', '涛']

/** Two handlers on duty per department (ids `<department>-H1`, `-H2`, also their console logins). */
function withHandlers (list: DepartmentInput[]): DepartmentInput[] {
  return list.map((d, k) => ({
    ...d,
    handlers: [1, 2].map((n) => ({ id: `${d.id}-H${n}`, name: `${SURNAMES[(2 * k + n) % SURNAMES.length]!}${GIVEN[(5 * k + 3 * n) % GIVEN.length]!}` }))
  }))
}

/**
 * Departments of every kind in `DepartmentKindSchema`, scaled to the community: fire-control
 * rooms (Huaguoyuan: 72 for 311 buildings) each covering a run of buildings, one fire brigade,
 * 2–3 elevator maintenance companies, urban management, environment, property companies, police,
 * community and street offices (each over a run of grids), the district, and device maintenance.
 * `buildingGrids[i]` is the grid of building i in plan order. Each has two handlers.
 */
export function generateDepartments (buildingIds: readonly string[], buildingGrids: readonly string[], gridIds: readonly string[]): DepartmentInput[] {
  const nB = buildingIds.length
  const out: DepartmentInput[] = []
  const fcr = Math.max(1, Math.round((nB * 72) / 311))
  chunk(buildingIds.map((id, i) => ({ id, grid: buildingGrids[i]! })), fcr).forEach((part, k) => {
    if (part.length === 0) return
    const span = part.length === 1 ? part[0]!.id : `${part[0]!.id}–${part[part.length - 1]!.id}`
    out.push({ id: `FCR-${pad(k + 1)}`, name: `${k + 1}号消防控制室 (${span})`, kind: 'fire_control_room', grids: unique(part.map((p) => p.grid)) })
  })
  out.push({ id: 'FB-01', name: '花果园消防救援站', kind: 'fire_brigade', grids: [] })
  const em = nB >= 10 ? 3 : 2
  for (let k = 0; k < em; k++) out.push({ id: `EM-${pad(k + 1)}`, name: ELEVATOR_COMPANIES[k]!, kind: 'elevator_maintenance', grids: [] })
  out.push({ id: 'UM-01', name: '南明区城市管理局花果园中队', kind: 'urban_management', grids: [] })
  out.push({ id: 'ENV-01', name: '贵阳市生态环境局南明分局', kind: 'environment', grids: [] })
  const grouped = (prefix: string, count: number, kind: DepartmentInput['kind'], name: (k: number) => string): void => {
    chunk(gridIds, count).forEach((grids, k) => {
      if (grids.length > 0) out.push({ id: `${prefix}-${pad(k + 1)}`, name: name(k), kind, grids })
    })
  }
  grouped('PM', Math.min(8, Math.max(2, Math.round(nB / 6))), 'property', (k) => `花果园物业服务中心 ${k + 1}期`)
  grouped('PS', nB > 100 ? 3 : 1, 'police', (k) => (k === 0 ? '花果园派出所' : `花果园派出所 第${k + 1}警务区`))
  grouped('CO', Math.min(12, Math.max(1, Math.ceil(nB / 10))), 'community', (k) => `花果园第${k + 1}社区居委会`)
  grouped('ST', nB > 150 ? 2 : 1, 'street', (k) => STREETS[k]!)
  out.push({ id: 'DI-01', name: '南明区综合指挥中心', kind: 'district', grids: [] })
  out.push({ id: 'DM-01', name: '港湾设备运维中心', kind: 'device_maintenance', grids: [] })
  return withHandlers(out)
}
