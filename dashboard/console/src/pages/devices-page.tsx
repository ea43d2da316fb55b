import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { allDevices } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { DeviceRow, DeviceStatus } from '../api/types.ts'
import { DeviceStatusDot, useKindLabel } from '../components/badges.tsx'
import { CredentialsDialog } from '../components/credentials-dialog.tsx'
import { useFormatTime } from '../i18n/use-format-time.ts'
import { useApp } from '../state/app-context.tsx'
import { useNow } from '../state/use-now.ts'

const KINDS = ['fire', 'elevator', 'fume', 'noise', 'falling_object'] as const
const STATUSES: readonly DeviceStatus[] = ['online', 'offline', 'unknown']
const ROW_REM = 2.6

/** "3 min ago" in the page's language. */
function ago (ms: number | undefined, now: number, lang: string, never: string): string {
  if (ms === undefined) return never
  const s = Math.round((ms - now) / 1000)
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  const abs = Math.abs(s)
  if (abs < 60) return rtf.format(s, 'second')
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute')
  if (abs < 86_400) return rtf.format(Math.round(s / 3600), 'hour')
  return rtf.format(Math.round(s / 86_400), 'day')
}

/**
 * The device registry (`GET /devices`): status, last seen, battery, false alarms, filtered by
 * building, kind and status; virtualised like the queue. An admin can issue credentials to a
 * gateway or a direct device.
 */
export function DevicesPage () {
  const { t, i18n } = useTranslation()
  const { principal, lookups } = useApp()
  const kindLabel = useKindLabel()
  const now = useNow()
  const time = useFormatTime()
  const [building, setBuilding] = useState('')
  const [kind, setKind] = useState('')
  const [status, setStatus] = useState('')
  const [rows, setRows] = useState<DeviceRow[]>()
  const [error, setError] = useState<string>()
  const [issuing, setIssuing] = useState<string>()
  const admin = principal.role === 'admin'

  useEffect(() => {
    const ac = new AbortController()
    setError(undefined)
    const q = { ...(building !== '' ? { building } : {}), ...(kind !== '' ? { kind } : {}), ...(status !== '' ? { status } : {}) }
    allDevices(q, ac.signal).then((l) => { setRows(l.items) }, (err: unknown) => {
      if ((err as Error).name === 'AbortError') return
      setRows([])
      setError(err instanceof ApiError && (err.status === 404 || err.status === 501) ? t('app.notAvailable') : t('app.loadFailed', { message: (err as Error).message }))
    })
    return () => { ac.abort() }
  }, [building, kind, status, t])

  const counts = useMemo(() => {
    const c = { online: 0, offline: 0, unknown: 0 }
    for (const r of rows ?? []) c[r.status]++
    return c
  }, [rows])

  const parent = useRef<HTMLDivElement>(null)
  const rowPx = Math.round(ROW_REM * (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16))
  const list = rows ?? []
  const v = useVirtualizer({ count: list.length, getScrollElement: () => parent.current, estimateSize: () => rowPx, overscan: 10 })
  useEffect(() => { v.measure() }, [rowPx, v])
  // Gateways to issue credentials to: the community's list when the server gives it, else those the devices report behind.
  const gateways = useMemo(() => {
    const known = new Map((lookups.community?.gateways ?? []).map((g) => [g.id, g as { id: string, building: string, name?: string }]))
    for (const d of rows ?? []) if (d.gateway !== undefined && !known.has(d.gateway)) known.set(d.gateway, { id: d.gateway, building: d.building ?? '' })
    return [...known.values()].sort((a, b) => a.id.localeCompare(b.id))
  }, [lookups.community, rows])

  return <div className="page devices-page" data-testid="page-devices">
    <div className="filters">
      <select data-testid="devices-filter-building" value={building} onChange={(e) => { setBuilding(e.target.value) }}>
        <option value="">{t('devices.buildingAll')}</option>
        {(lookups.community?.buildings ?? []).map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
      </select>
      <select data-testid="devices-filter-kind" value={kind} onChange={(e) => { setKind(e.target.value) }}>
        <option value="">{t('devices.kindAll')}</option>
        {KINDS.map((k) => <option key={k} value={k}>{kindLabel(k)}</option>)}
      </select>
      <select data-testid="devices-filter-status" value={status} onChange={(e) => { setStatus(e.target.value) }}>
        <option value="">{t('devices.statusAll')}</option>
        {STATUSES.map((s) => <option key={s} value={s}>{t(`deviceStatus.${s}`)}</option>)}
      </select>
      <span data-testid="devices-count" data-total={list.length}>{t('devices.total', { total: list.length })} · {t('devices.summary', counts)}</span>
    </div>
    {admin && gateways.length > 0 && <details className="panel gateways" data-testid="gateways">
      <summary>{t('devices.gateways')} ({gateways.length})</summary>
      <ul className="plain gateway-list">
        {gateways.map((g) => <li key={g.id}>
          <span>{g.id}{g.name !== undefined ? ` · ${g.name}` : ''} · {lookups.buildingName(g.building)}</span>
          <button type="button" data-testid={`gateway-issue-${g.id}`} onClick={() => { setIssuing(g.id) }}>{t('devices.issue')}</button>
        </li>)}
      </ul>
    </details>}
    {error !== undefined && <div className="muted" data-testid="devices-error">{error}</div>}
    <div className="device-table" role="table" data-testid="devices-table">
      <div role="row" className="device-row device-head">
        <span role="columnheader">{t('devices.colId')}</span>
        <span role="columnheader">{t('devices.colKind')}</span>
        <span role="columnheader">{t('devices.colBuilding')}</span>
        <span role="columnheader">{t('devices.colFloor')}</span>
        <span role="columnheader">{t('devices.colGateway')}</span>
        <span role="columnheader">{t('devices.colStatus')}</span>
        <span role="columnheader">{t('devices.colLastSeen')}</span>
        <span role="columnheader">{t('devices.colBattery')}</span>
        <span role="columnheader">{t('devices.colFalseAlarms')}</span>
        <span role="columnheader">{admin ? t('devices.colActions') : ''}</span>
      </div>
      <div ref={parent} className="device-scroll">
        {rows === undefined
          ? <div className="muted">{t('app.loading')}</div>
          : <div role="rowgroup" style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((item) => {
              const d = list[item.index]!
              return <div key={d.id} role="row" className={`device-row device-${d.status}`} data-testid={`device-row-${d.id}`} data-status={d.status}
                style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
                <span role="cell" className="mono">{d.id}</span>
                <span role="cell">{kindLabel(d.kind)}</span>
                <span role="cell">{lookups.buildingName(d.building)}</span>
                <span role="cell">{d.floor ?? '—'}</span>
                <span role="cell" className="mono">{d.gateway ?? t('devices.direct')}</span>
                <span role="cell"><DeviceStatusDot status={d.status} /></span>
                <span role="cell" title={d.lastSeenAt !== undefined ? time(d.lastSeenAt) : undefined}>
                  {ago(d.lastSeenAt, now, i18n.language, t('devices.never'))}
                </span>
                <span role="cell" className={d.batteryPct !== undefined && d.batteryPct < 20 ? 'low-battery' : undefined}>
                  {d.batteryPct !== undefined ? `${Math.round(d.batteryPct)} %` : '—'}
                </span>
                <span role="cell" className={d.falseAlarms > 0 ? 'warn-text' : undefined}>{d.falseAlarms}</span>
                <span role="cell">{admin && d.gateway === undefined &&
                  <button type="button" className="small" data-testid={`device-issue-${d.id}`} onClick={() => { setIssuing(d.id) }}>{t('devices.issue')}</button>}
                </span>
              </div>
            })}
          </div>}
      </div>
    </div>
    {issuing !== undefined && <CredentialsDialog id={issuing} onClose={() => { setIssuing(undefined) }} />}
  </div>
}
