import type { AlertCategory, IncidentStatus, Severity } from '@gangwan/contracts'
import { useTranslation } from 'react-i18next'
import { ALL_STATUSES, CATEGORIES, DEFAULT_FILTER, SEVERITIES, type QueueFilter } from '../domain/queue-order.ts'
import { useApp } from '../state/app-context.tsx'

function toggle<T> (list: readonly T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v]
}

/** Category, status and severity chips; grid and department pickers; a search box. */
export function QueueFilters ({ filter, onChange }: { filter: QueueFilter, onChange: (f: QueueFilter) => void }) {
  const { t } = useTranslation()
  const { lookups, principal } = useApp()
  const grids = lookups.community?.grids ?? []
  const departments = lookups.community?.departments ?? []
  const chip = <T extends string>(kind: string, value: T, label: string, on: boolean, flip: () => void) =>
    <button key={value} type="button" className={`chip${on ? ' on' : ''}`} aria-pressed={on}
      data-testid={`filter-${kind}-${value}`} onClick={flip}>{label}</button>
  return <div className="filters" data-testid="queue-filters">
    <div className="filter-group" role="group" aria-label={t('filter.category')}>
      <span className="filter-label">{t('filter.category')}</span>
      {CATEGORIES.map((c: AlertCategory) => chip('category', c, t(`category.${c}`), filter.categories.includes(c),
        () => { onChange({ ...filter, categories: toggle(filter.categories, c) }) }))}
    </div>
    <div className="filter-group" role="group" aria-label={t('filter.severity')}>
      <span className="filter-label">{t('filter.severity')}</span>
      {SEVERITIES.map((s: Severity) => chip('severity', s, s, filter.severities.includes(s),
        () => { onChange({ ...filter, severities: toggle(filter.severities, s) }) }))}
    </div>
    <div className="filter-group" role="group" aria-label={t('filter.status')}>
      <span className="filter-label">{t('filter.status')}</span>
      {ALL_STATUSES.map((s: IncidentStatus) => chip('status', s, t(`status.${s}`), filter.statuses.includes(s),
        () => { onChange({ ...filter, statuses: toggle(filter.statuses, s) }) }))}
    </div>
    <div className="filter-group">
      <label className="filter-label" htmlFor="filter-grid">{t('filter.grid')}</label>
      <select id="filter-grid" data-testid="filter-grid" value={filter.grids[0] ?? ''}
        onChange={(e) => { onChange({ ...filter, grids: e.target.value === '' ? [] : [e.target.value] }) }}>
        <option value="">{t('app.all')}</option>
        {grids.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      </select>
      {principal.role !== 'handler' && <>
        <label className="filter-label" htmlFor="filter-department">{t('filter.department')}</label>
        <select id="filter-department" data-testid="filter-department" value={filter.departments[0] ?? ''}
          onChange={(e) => { onChange({ ...filter, departments: e.target.value === '' ? [] : [e.target.value] }) }}>
          <option value="">{t('app.all')}</option>
          {departments.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
      </>}
      <input type="search" className="search" data-testid="filter-search" placeholder={t('filter.search')} value={filter.text}
        onChange={(e) => { onChange({ ...filter, text: e.target.value }) }} />
      <button type="button" data-testid="filter-reset" onClick={() => { onChange(DEFAULT_FILTER) }}>{t('filter.reset')}</button>
    </div>
  </div>
}
