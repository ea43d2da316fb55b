import type { AuditEntry } from '@gangwan/contracts'
import { useTranslation } from 'react-i18next'
import type { Role } from '../api/types.ts'
import { useFormatTime } from '../i18n/use-format-time.ts'
import { useApp } from '../state/app-context.tsx'

const ROLES: ReadonlySet<string> = new Set(['operator', 'dispatcher', 'handler', 'admin', 'viewer'])

/** Every change of the incident, oldest first: alerts merged, actions, escalations, with who and why. */
export function Timeline ({ entries }: { entries: readonly AuditEntry[] }) {
  const { t } = useTranslation()
  const { lookups } = useApp()
  const time = useFormatTime()
  const actor = (e: AuditEntry): string => {
    if (e.actor.type === 'system') return t('incident.system')
    const role = e.actor.role
    const label = role === undefined ? '' : ROLES.has(role) ? t(`role.${role as Role}`) : role
    return label === '' ? lookups.handlerName(e.actor.id) : `${lookups.handlerName(e.actor.id)} · ${label}`
  }
  return <ol className="timeline" data-testid="incident-timeline">
    {entries.map((e) => {
      const details = Object.entries(e.details).filter(([, v]) => v !== null && v !== '')
      return <li key={e.seq} className={`tl tl-${e.event}`} data-testid={`timeline-entry-${e.seq}`} data-event={e.event}>
        <time dateTime={new Date(e.at).toISOString()}>{time(e.at)}</time>
        <div className="tl-body">
          <div className="tl-head">
            <strong>{t(`event.${e.event}`)}</strong>
            <span className="tl-status">{e.fromStatus !== undefined ? `${t(`status.${e.fromStatus}`)} → ` : ''}{t(`status.${e.toStatus}`)}</span>
            <span className="tl-actor">{t('incident.actor')}: {actor(e)}</span>
          </div>
          {e.reason !== undefined && <div className="tl-reason">{e.reason}</div>}
          {details.length > 0 && <div className="tl-details">
            {details.map(([k, v]) => <span key={k} className="kv"><span className="k">{k}</span> {String(v)}</span>)}
          </div>}
        </div>
      </li>
    })}
  </ol>
}
