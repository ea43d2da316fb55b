import type { Building } from '@gangwan/contracts'
import type { QueueIncident } from '../api/types.ts'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { allDevices } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { DeviceRow } from '../api/types.ts'
import { compareIncidents } from '../domain/queue-order.ts'
import { href } from '../state/router.ts'

const MAX_LISTED = 8
import { DEVICE_STATUS_COLOR, SeverityBadge, StatusBadge, useKindLabel } from './badges.tsx'

/** Floors top to bottom, basements last (no floor 0, as in the community file). */
function floorList (b: Building): number[] {
  const floors: number[] = []
  for (let f = b.floors; f >= 1; f--) floors.push(f)
  for (let f = -1; f >= -b.basementFloors; f--) floors.push(f)
  return floors
}

/** A building opened: its floors with their devices (status colours) and incidents. */
export function BuildingPanel ({ building, incidents, onClose }: { building: Building, incidents: readonly QueueIncident[], onClose: () => void }) {
  const { t } = useTranslation()
  const kindLabel = useKindLabel()
  const [devices, setDevices] = useState<DeviceRow[]>()
  const [error, setError] = useState<string>()

  useEffect(() => {
    const ac = new AbortController()
    setDevices(undefined)
    setError(undefined)
    allDevices({ building: building.id }, ac.signal).then((l) => { setDevices(l.items) }, (err: unknown) => {
      if ((err as Error).name === 'AbortError') return
      setError(err instanceof ApiError && (err.status === 404 || err.status === 501) ? t('app.notAvailable') : t('app.loadFailed', { message: (err as Error).message }))
    })
    return () => { ac.abort() }
  }, [building.id, t])

  const byFloor = useMemo(() => {
    const m = new Map<number | 'building', DeviceRow[]>()
    for (const d of devices ?? []) {
      const k = d.floor ?? 'building'
      const list = m.get(k)
      if (list === undefined) m.set(k, [d]); else list.push(d)
    }
    return m
  }, [devices])
  // The most urgent few: a building on fire can hold hundreds of alerts' incidents.
  const worst = useMemo(() => [...incidents].sort(compareIncidents).slice(0, MAX_LISTED), [incidents])
  const incidentsByFloor = useMemo(() => {
    const m = new Map<number, QueueIncident[]>()
    for (const i of incidents) {
      const f = i.location.floor
      if (f === undefined) continue
      const list = m.get(f)
      if (list === undefined) m.set(f, [i]); else list.push(i)
    }
    return m
  }, [incidents])

  const chips = (list: readonly DeviceRow[] | undefined) => (list === undefined || list.length === 0
    ? <span className="muted">{t('map.noDevices')}</span>
    : list.map((d) => <span key={d.id} className="device-chip" data-testid={`building-device-${d.id}`} data-device-status={d.status}
      title={`${d.id} · ${kindLabel(d.kind)} · ${t(`deviceStatus.${d.status}`)}`}
      style={{ borderColor: DEVICE_STATUS_COLOR[d.status] }}>
      <span className="dot" style={{ background: DEVICE_STATUS_COLOR[d.status] }} />{d.id}
    </span>))

  return <aside className="building-panel" data-testid="building-panel" data-building={building.id}>
    <header className="panel-head">
      <h2>{t('map.buildingFloors', { name: building.name, floors: building.floors })}</h2>
      <button type="button" className="icon-button" data-testid="building-panel-close" aria-label={t('app.close')} onClick={onClose}>×</button>
    </header>
    {incidents.length > 0 && <section data-testid="building-incidents" data-count={incidents.length}>
      <h3>{t('map.incidentsHere')} ({incidents.length})</h3>
      <ul className="plain">
        {worst.map((i) => <li key={i.id} data-testid={`building-incident-${i.id}`}>
          <a href={href({ page: 'incident', id: i.id })}><SeverityBadge severity={i.severity} short /> {i.title}</a> <StatusBadge status={i.status} />
        </li>)}
      </ul>
      {incidents.length > worst.length && <div className="muted">{t('map.moreIncidents', { count: incidents.length - worst.length })}</div>}
    </section>}
    {error !== undefined && <div className="muted" data-testid="building-devices-error">{error}</div>}
    {devices === undefined && error === undefined && <div className="muted">{t('app.loading')}</div>}
    <section className="floors" data-testid="building-floors">
      <div className="floor-row floor-row-building" data-testid="building-floor-building">
        <span className="floor-name">{t('map.buildingLevel')}</span>
        <span className="floor-devices">{chips(byFloor.get('building'))}</span>
      </div>
      {floorList(building).map((f) => {
        const here = incidentsByFloor.get(f)
        return <div key={f} className={`floor-row${here !== undefined ? ' has-incident' : ''}`} data-testid={`building-floor-${f}`}>
          <span className="floor-name">{f > 0 ? `${f}F` : t('map.basement', { n: -f })}</span>
          <span className="floor-devices">
            {here !== undefined && <FloorIncidents incidents={here} />}
            {chips(byFloor.get(f))}
          </span>
        </div>
      })}
    </section>
  </aside>
}

/** A floor's incidents as one link to the most urgent, with how many there are. */
function FloorIncidents ({ incidents }: { incidents: readonly QueueIncident[] }) {
  const first = [...incidents].sort(compareIncidents)[0]
  if (first === undefined) return null
  return <a href={href({ page: 'incident', id: first.id })} className="floor-incidents" data-count={incidents.length} title={first.title}>
    <SeverityBadge severity={first.severity} short />{incidents.length > 1 ? ` ×${incidents.length}` : ''}
  </a>
}
