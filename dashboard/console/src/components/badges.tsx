import type { AlertCategory, Incident, IncidentStatus, Severity } from '@gangwan/contracts'
import { useTranslation } from 'react-i18next'
import type { DeviceStatus } from '../api/types.ts'

/** Severity colours, also used by the map markers and charts. */
export const SEVERITY_COLOR: Readonly<Record<Severity, string>> = { P1: '#ff3b3b', P2: '#ff9f1a', P3: '#ffd23f', P4: '#4cc9f0' }
export const DEVICE_STATUS_COLOR: Readonly<Record<DeviceStatus, string>> = { online: '#2ecc71', offline: '#ff4d4f', unknown: '#8a94a6' }

/** One colour per category (a swatch before its name; command-centre machines often lack emoji fonts). */
export const CATEGORY_COLOR: Readonly<Record<AlertCategory, string>> = {
  fire: '#ff4d4f', elevator: '#b388ff', fume: '#c9a26b', noise: '#4cc9f0', falling_object: '#ff9f1a', device_health: '#8a94a6'
}

export function SeverityBadge ({ severity, short = false }: { severity: Severity, short?: boolean }) {
  const { t } = useTranslation()
  return <span className={`badge sev sev-${severity}`} data-severity={severity} title={t(`severity.${severity}`)}>
    {short ? severity : t(`severity.${severity}`)}
  </span>
}

export function StatusBadge ({ status }: { status: IncidentStatus }) {
  const { t } = useTranslation()
  return <span className={`badge status status-${status}`} data-status={status}>{t(`status.${status}`)}</span>
}

export function CategoryLabel ({ category }: { category: AlertCategory }) {
  const { t } = useTranslation()
  return <span className={`category cat-${category}`} data-category={category}>
    <span className="category-swatch" aria-hidden="true" style={{ background: CATEGORY_COLOR[category] }} />{t(`category.${category}`)}
  </span>
}

export function DeviceStatusDot ({ status }: { status: DeviceStatus }) {
  const { t } = useTranslation()
  return <span className="device-status" data-device-status={status}>
    <span className="dot" style={{ background: DEVICE_STATUS_COLOR[status] }} aria-hidden="true" />{t(`deviceStatus.${status}`)}
  </span>
}

/** Building · floor (or the grid alone when no building is known); the grid in the tooltip. */
export function LocationText ({ incident, gridName, buildingName }: {
  incident: Pick<Incident, 'location'>
  gridName: (id: string) => string
  buildingName: (id: string | undefined) => string
}) {
  const { t } = useTranslation()
  const l = incident.location
  const parts = l.building !== undefined ? [buildingName(l.building)] : [gridName(l.grid)]
  if (l.floor !== undefined) parts.push(t('incident.floorValue', { floor: l.floor }))
  else if (l.floorRange !== undefined) parts.push(t('incident.floorValue', { floor: `${l.floorRange.from}–${l.floorRange.to}` }))
  return <span className="location" title={gridName(l.grid)}>{parts.join(' · ')}</span>
}

const KINDS = ['fire', 'elevator', 'fume', 'noise', 'falling_object', 'gateway'] as const
type KindKey = (typeof KINDS)[number]

/** A device kind in words; an unknown kind as it is. */
export function useKindLabel (): (kind: string) => string {
  const { t } = useTranslation()
  return (kind: string) => ((KINDS as readonly string[]).includes(kind) ? t(`kind.${kind as KindKey}`) : kind)
}
