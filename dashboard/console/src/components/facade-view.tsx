import type { Building, FloorRange, TrajectoryPoint } from '@gangwan/contracts'
import { useTranslation } from 'react-i18next'
import { floorBands, rangeHeights } from '../domain/facade-geometry.ts'

/**
 * A thrown object's track against the façade it fell past: the façade to scale (width from the
 * community file, storeys from the building's floor heights), the tracked points (`x` metres
 * along the façade, `h` metres above ground) and the estimated origin floor range as a band.
 */
export function FacadeView ({ building, facadeWidthM, trajectory, floorRange }: {
  building: Building
  facadeWidthM: number
  trajectory: readonly TrajectoryPoint[]
  floorRange: FloorRange | undefined
}) {
  const { t } = useTranslation()
  const bands = floorBands(building)
  const heightM = bands.at(-1)?.topM ?? building.floors * 3
  const maxX = Math.max(facadeWidthM, ...trajectory.map((p) => p.x))
  const minX = Math.min(0, ...trajectory.map((p) => p.x))
  // SVG units are metres; y grows downwards, so a height h is drawn at heightM - h.
  const pad = { left: 8, right: 4, top: 4, bottom: 6 }
  const vb = { x: minX - pad.left, y: -pad.top, w: maxX - minX + pad.left + pad.right, h: heightM + pad.top + pad.bottom }
  const y = (h: number): number => heightM - h
  const range = floorRange !== undefined ? rangeHeights(bands, floorRange.from, floorRange.to) : undefined
  const labelEvery = building.floors > 40 ? 5 : building.floors > 20 ? 2 : 1
  const font = Math.max(1.6, heightM / 60)
  const first = trajectory[0]
  const last = trajectory.at(-1)
  return <figure className="facade" data-testid="facade-view">
    <svg viewBox={`${vb.x} ${vb.y} ${vb.w} ${vb.h}`} preserveAspectRatio="xMidYMid meet" data-testid="facade-svg"
      role="img" aria-label={t('incident.trajectory')}>
      <rect x={0} y={0} width={facadeWidthM} height={heightM} className="facade-wall" />
      {bands.map((b) => <g key={b.floor}>
        <line x1={0} x2={facadeWidthM} y1={y(b.topM)} y2={y(b.topM)} className="facade-floor" />
        {b.floor % labelEvery === 0 && <text x={-1} y={y((b.bottomM + b.topM) / 2)} fontSize={font} textAnchor="end" dominantBaseline="middle" className="facade-label">{b.floor}F</text>}
      </g>)}
      {range !== undefined && floorRange !== undefined && <g data-testid="facade-floor-band" data-from={floorRange.from} data-to={floorRange.to}>
        <rect x={0} y={y(range.topM)} width={facadeWidthM} height={range.topM - range.bottomM} className="facade-band" />
        <text x={facadeWidthM - 0.5} y={y(range.topM) - 0.6} fontSize={font} textAnchor="end" className="facade-band-label">
          {t('incident.estimatedRange')} {floorRange.from}–{floorRange.to}F ({Math.round(floorRange.confidence * 100)}%)
        </text>
      </g>}
      <line x1={minX - 2} x2={maxX + 2} y1={heightM} y2={heightM} className="facade-ground" />
      <polyline data-testid="trajectory-path" className="trajectory" points={trajectory.map((p) => `${p.x},${y(p.h)}`).join(' ')} />
      {trajectory.map((p, i) => <circle key={i} cx={p.x} cy={y(p.h)} r={Math.max(0.35, heightM / 250)} className="trajectory-point" />)}
      {first !== undefined && <text x={first.x + 1} y={y(first.h)} fontSize={font} className="trajectory-label">{t('incident.release')}</text>}
      {last !== undefined && last !== first && <text x={last.x + 1} y={y(last.h)} fontSize={font} className="trajectory-label">{t('incident.impact')}</text>}
    </svg>
    <figcaption className="muted">{t('incident.widthAxis')} 0–{facadeWidthM} m · {t('incident.heightAxis')} 0–{heightM.toFixed(1)} m</figcaption>
  </figure>
}
