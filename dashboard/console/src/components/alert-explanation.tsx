import { useTranslation } from 'react-i18next'
import type { LinkedAlert } from '../api/types.ts'
import { useFormatTime } from '../i18n/use-format-time.ts'
import { SeverityBadge } from './badges.tsx'

/**
 * Why an alert fired (DESIGN decision 7): the rule or model with its version and the standard's
 * clause, the model's score, the values that crossed the line and the window they come from.
 */
export function AlertExplanation ({ linked, index }: { linked: LinkedAlert, index: number }) {
  const { t } = useTranslation()
  const time = useFormatTime()
  const a = linked.alert
  const values = Object.entries(a.trigger.values)
  return <article className="explanation" data-testid={`alert-explanation-${index}`} data-alert-key={a.key}>
    <header>
      <SeverityBadge severity={a.severity} short />
      <strong>{a.title}</strong>
      <span className="muted">{a.device ?? a.subject}</span>
      <span className={`badge alert-${a.state}`}>{a.state === 'open' ? t('incident.alertOpen') : t('incident.alertCleared')}</span>
      {a.count > 1 && <span className="muted">{t('incident.repeats', { count: a.count })}</span>}
      {a.flapping && <span className="badge warn">{t('incident.flapping')}</span>}
    </header>
    <dl className="facts">
      <div className="fact" data-testid="why-source"><dt>{t('incident.source')}</dt>
        <dd>{a.source.type === 'rule' ? t('incident.rule') : t('incident.model')} <code>{a.source.id}</code></dd></div>
      <div className="fact" data-testid="why-version"><dt>{t('incident.version')}</dt><dd>{a.source.version}</dd></div>
      <div className="fact" data-testid="why-clause"><dt>{t('incident.clause')}</dt><dd>{a.source.clause}</dd></div>
      {a.source.score !== undefined && <div className="fact" data-testid="why-score"><dt>{t('incident.score')}</dt><dd>{a.source.score.toFixed(3)}</dd></div>}
      <div className="fact" data-testid="why-window"><dt>{t('incident.window')}</dt>
        <dd>{time(a.trigger.window.fromMs)} – {time(a.trigger.window.toMs)}</dd></div>
      <div className="fact"><dt>{t('incident.merge')}</dt><dd>{linked.mergeRule} — {linked.reason}</dd></div>
    </dl>
    {values.length > 0 && <table className="values" data-testid="why-values">
      <caption>{t('incident.values')}</caption>
      <tbody>{values.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{typeof v === 'number' ? Number(v.toFixed(4)) : String(v)}</td></tr>)}</tbody>
    </table>}
  </article>
}
