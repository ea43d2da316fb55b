import type { QueueIncident } from '../api/types.ts'
import { useTranslation } from 'react-i18next'
import { formatCountdown, slaState } from '../domain/countdown.ts'

/** The running SLA step's countdown: amber under half its time, red under 20 % and when overdue. */
export function SlaCountdown ({ incident, now, showStep = false }: { incident: QueueIncident, now: number, showStep?: boolean }) {
  const { t } = useTranslation()
  const s = slaState(incident, now)
  if (s.level === 'none' || s.leftMs === undefined) {
    return <span className="sla sla-none" data-testid={`sla-${incident.id}`} data-level="none">{t('app.none')}</span>
  }
  const step = incident.deadline?.step
  return <span className={`sla sla-${s.level}`} data-testid={`sla-${incident.id}`} data-level={s.level}
    title={step !== undefined ? t(`step.${step}`) : undefined}>
    {showStep && step !== undefined ? <span className="sla-step">{t(`step.${step}`)} </span> : null}
    {formatCountdown(s.leftMs, t('unit.day'))}
  </span>
}
