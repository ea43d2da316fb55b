import type { Severity } from '@gangwan/contracts'
import type { QueueIncident } from '../api/types.ts'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { BuildingDeviceSummary, CommunityView } from '../api/types.ts'
import { boundsOf, footprintRect, gridColor } from '../domain/plan-geometry.ts'
import { SEVERITY_RANK } from '../domain/queue-order.ts'
import { DEVICE_STATUS_COLOR, SEVERITY_COLOR } from './badges.tsx'

interface Marker { count: number, worst: Severity }

function markers (incidents: readonly QueueIncident[], key: (i: QueueIncident) => string | undefined): Map<string, Marker> {
  const m = new Map<string, Marker>()
  for (const i of incidents) {
    const k = key(i)
    if (k === undefined) continue
    const cur = m.get(k)
    if (cur === undefined) m.set(k, { count: 1, worst: i.severity })
    else { cur.count++; if (SEVERITY_RANK[i.severity] < SEVERITY_RANK[cur.worst]) cur.worst = i.severity }
  }
  return m
}

/** Share of a building's devices offline from which its outline turns red rather than amber. */
const OFFLINE_RED = 0.1
type BuildingState = 'online' | 'degraded' | 'offline' | 'unknown'
const STATE_COLOR: Readonly<Record<BuildingState, string>> = { ...DEVICE_STATUS_COLOR, degraded: '#ff9f1a' }

/** Device health of a building as one state: all online, some offline (amber), many offline (red), nothing known. */
export function buildingState (s: BuildingDeviceSummary | undefined): BuildingState {
  const total = s === undefined ? 0 : s.online + s.offline + s.unknown
  if (s === undefined || total === 0 || s.online + s.offline === 0) return 'unknown'
  if (s.offline / total >= OFFLINE_RED) return 'offline'
  return s.offline > 0 ? 'degraded' : 'online'
}

/**
 * The community as a schematic plan (no map tiles: command centres are often offline): grids as
 * tinted areas, buildings at their plan positions with their footprints, outlined by device health,
 * and a marker per building with open incidents (colour of the worst severity, P1 blinking).
 */
export function CommunityMap ({ community, summary, incidents, selected, onSelect }: {
  community: CommunityView
  summary: readonly BuildingDeviceSummary[]
  incidents: readonly QueueIncident[]
  selected: string | undefined
  onSelect: (building: string) => void
}) {
  const { t } = useTranslation()
  const geo = useMemo(() => {
    const rects = new Map(community.buildings.map((b) => [b.id, footprintRect(b)]))
    const all = boundsOf([...rects.values()], 40)
    const grids = community.grids.map((g, i) => {
      const mine = community.buildings.filter((b) => b.grid === g.id).map((b) => rects.get(b.id)!)
      return { grid: g, color: gridColor(i, community.grids.length), area: mine.length > 0 ? boundsOf(mine, 10) : undefined }
    })
    return { rects, all, grids }
  }, [community])
  const byBuilding = useMemo(() => markers(incidents, (i) => i.location.building), [incidents])
  const byGridOnly = useMemo(() => markers(incidents, (i) => (i.location.building === undefined ? i.location.grid : undefined)), [incidents])
  const summaries = useMemo(() => new Map(summary.map((s) => [s.building, s])), [summary])
  const gridColors = new Map(geo.grids.map((g) => [g.grid.id, g.color]))

  const { all } = geo
  const y = (north: number): number => all.maxY - north + all.minY
  const w = all.maxX - all.minX
  const h = all.maxY - all.minY
  const font = Math.max(4, Math.min(w, h) / 70)
  return <svg className="community-map" data-testid="community-map" viewBox={`${all.minX} ${all.minY} ${w} ${h}`}
    preserveAspectRatio="xMidYMid meet" role="img" aria-label={t('map.title')}>
    {geo.grids.map(({ grid, color, area }) => area !== undefined && <g key={grid.id} data-testid={`map-grid-${grid.id}`}>
      <rect x={area.minX} y={y(area.maxY)} width={area.maxX - area.minX} height={area.maxY - area.minY} rx={4}
        fill={color} fillOpacity={0.08} stroke={color} strokeOpacity={0.5} strokeDasharray="3 2" />
      <text x={area.minX + 2} y={y(area.maxY) + font * 1.1} fontSize={font * 0.9} fill={color} className="map-grid-label">{grid.name}</text>
      {byGridOnly.has(grid.id) && <circle cx={area.maxX - font} cy={y(area.maxY) + font} r={font * 0.8}
        data-testid={`map-grid-marker-${grid.id}`} fill={SEVERITY_COLOR[byGridOnly.get(grid.id)!.worst]}
        className={byGridOnly.get(grid.id)!.worst === 'P1' ? 'blink' : undefined} />}
    </g>)}
    {community.buildings.map((b) => {
      const r = geo.rects.get(b.id)!
      const state = buildingState(summaries.get(b.id))
      const s = summaries.get(b.id)
      const m = byBuilding.get(b.id)
      return <g key={b.id} className={`map-building${selected === b.id ? ' selected' : ''}`} data-testid={`map-building-${b.id}`}
        data-device-state={state} onClick={() => { onSelect(b.id) }} role="button" tabIndex={0}
        onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') onSelect(b.id) }}>
        <title>{`${b.name} · ${b.floors}F${s !== undefined ? ` · ${t('devices.summary', { ...s })}` : ''}`}</title>
        <rect x={r.minX} y={y(r.maxY)} width={r.maxX - r.minX} height={r.maxY - r.minY} rx={1.5}
          fill={gridColors.get(b.grid) ?? '#445'} fillOpacity={0.28} stroke={STATE_COLOR[state]} strokeWidth={selected === b.id ? 2.2 : 1.2} />
        <text x={b.position.x} y={y(b.position.y)} fontSize={font} textAnchor="middle" dominantBaseline="middle" className="map-building-label">{b.id}</text>
        {s !== undefined && s.online + s.offline + s.unknown > 0 && <DeviceBar x={r.minX + 1} y={y(r.minY) - font * 0.6} width={r.maxX - r.minX - 2} height={font * 0.35} s={s} />}
        {m !== undefined && <g data-testid={`map-marker-${b.id}`} data-severity={m.worst} data-count={m.count} className={m.worst === 'P1' ? 'blink' : undefined}>
          <circle cx={r.maxX} cy={y(r.maxY)} r={font * 0.95} fill={SEVERITY_COLOR[m.worst]} stroke="#0b1220" strokeWidth={0.6} />
          <text x={r.maxX} y={y(r.maxY)} fontSize={font * 0.9} textAnchor="middle" dominantBaseline="central" className="map-marker-count">{m.count}</text>
        </g>}
      </g>
    })}
  </svg>
}

/** Online / offline / unknown shares of a building's devices as one thin bar. */
function DeviceBar ({ x, y, width, height, s }: { x: number, y: number, width: number, height: number, s: BuildingDeviceSummary }) {
  const total = s.online + s.offline + s.unknown
  const parts: Array<[keyof typeof DEVICE_STATUS_COLOR, number]> = [['online', s.online], ['offline', s.offline], ['unknown', s.unknown]]
  let at = x
  return <g className="device-bar">
    {parts.map(([k, n]) => {
      const w = (n / total) * width
      const el = <rect key={k} x={at} y={y} width={w} height={height} fill={DEVICE_STATUS_COLOR[k]} />
      at += w
      return el
    })}
  </g>
}
