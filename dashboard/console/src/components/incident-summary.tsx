import type { QueueIncident } from '../api/types.ts'
import { isFullIncident } from '../domain/queue-order.ts'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormatTime } from '../i18n/use-format-time.ts'
import { useApp } from '../state/app-context.tsx'
import { useNow } from '../state/use-now.ts'
import { CategoryLabel, SeverityBadge, StatusBadge } from './badges.tsx'
import { SlaCountdown } from './sla-countdown.tsx'

/**
 * The facts of an incident as a definition list: what, where, who, since when. `compact` (the
 * queue's side panel) shows what the queue's projection holds; the rest needs the whole incident.
 */
export function IncidentSummary ({ incident, compact = false }: { incident: QueueIncident, compact?: boolean }) {
  const { t } = useTranslation()
  const { lookups } = useApp()
  const now = useNow()
  const time = useFormatTime()
  const l = incident.location
  const rows: Array<[string, ReactNode, string]> = [
    [t('incident.grid'), lookups.gridName(l.grid), 'grid'],
    ...(l.building !== undefined ? [[t('incident.building'), lookups.buildingName(l.building), 'building'] as [string, string, string]] : []),
    ...(l.floor !== undefined ? [[t('incident.floor'), t('incident.floorValue', { floor: l.floor }), 'floor'] as [string, string, string]] : []),
    ...(l.floorRange !== undefined
      ? [[t('incident.floor'), t('incident.floorRange', { from: l.floorRange.from, to: l.floorRange.to, confidence: Math.round(l.floorRange.confidence * 100) }), 'floor-range'] as [string, string, string]]
      : []),
    ...(l.zone !== undefined ? [[t('incident.zone'), l.zone, 'zone'] as [string, string, string]] : []),
    ...(l.facade !== undefined ? [[t('incident.facade'), l.facade, 'facade'] as [string, string, string]] : []),
    ...(l.elevator !== undefined ? [[t('incident.elevator'), l.elevator, 'elevator'] as [string, string, string]] : []),
    ...(l.restaurant !== undefined ? [[t('incident.restaurant'), l.restaurant, 'restaurant'] as [string, string, string]] : []),
    [t('incident.department'), lookups.departmentName(incident.department), 'department'],
    [t('incident.handler'), lookups.handlerName(incident.handler), 'handler'],
    [t('incident.alertCount'), String(incident.alertCount), 'alert-count']
  ]
  if (!compact && isFullIncident(incident)) {
    rows.push(
      [t('incident.tier'), String(incident.tier), 'tier'],
      [t('incident.escalatedTo'), incident.escalatedTo.length > 0 ? incident.escalatedTo.map(lookups.departmentName).join('、') : '—', 'escalated-to'],
      [t('incident.devices'), incident.devices.length > 0 ? incident.devices.join(', ') : '—', 'devices'],
      [t('incident.merge'), `${incident.mergeRule} — ${incident.mergeReason}`, 'merge'],
      [t('incident.routing'), incident.routingRule ?? '—', 'routing'],
      [t('incident.rework'), String(incident.reworkCount), 'rework'],
      [t('incident.createdAt'), time(incident.createdAt), 'created-at'],
      [t('incident.updatedAt'), time(incident.updatedAt), 'updated-at']
    )
    if (incident.feedback !== undefined) {
      rows.push([t('incident.feedback'), `${incident.feedback.note}${incident.feedback.evidence !== undefined ? ` (${incident.feedback.evidence})` : ''} — ${lookups.handlerName(incident.feedback.by)}`, 'feedback'])
    }
    if (incident.falseAlarmReason !== undefined) rows.push([t('incident.falseAlarmReason'), incident.falseAlarmReason, 'false-alarm-reason'])
    if (incident.satisfied !== undefined) rows.push([t('incident.satisfied'), incident.satisfied ? t('dialog.satisfiedYes') : t('dialog.satisfiedNo'), 'satisfied'])
  }
  return <section className="incident-summary" data-testid="incident-summary" data-incident={incident.id} data-version={incident.version}>
    <div className="summary-head">
      <SeverityBadge severity={incident.severity} />
      <CategoryLabel category={incident.category} />
      <StatusBadge status={incident.status} />
      <span className="summary-sla"><SlaCountdown incident={incident} now={now} showStep /></span>
    </div>
    <h2 className="summary-title" data-testid="incident-title">{incident.title}</h2>
    <div className="summary-id">{incident.id} · v{incident.version}</div>
    <dl className="facts">
      {rows.map(([k, v, id]) => <div key={id} className="fact" data-testid={`fact-${id}`}><dt>{k}</dt><dd>{v}</dd></div>)}
    </dl>
  </section>
}
