import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ActionBar, SHORTCUTS, actionTestId } from '../components/action-bar.tsx'
import { IncidentSummary } from '../components/incident-summary.tsx'
import { keyIsForInput } from '../components/modal.tsx'
import { QueueFilters } from '../components/queue-filters.tsx'
import { QueueList } from '../components/queue-list.tsx'
import { DEFAULT_FILTER, FINAL_STATUSES, orderQueue, type QueueFilter } from '../domain/queue-order.ts'
import { useApp } from '../state/app-context.tsx'
import { useIncidentSnapshot } from '../state/incident-store.ts'
import { navigate } from '../state/router.ts'
import { useIncidentDetail } from '../state/use-incident-detail.ts'

const FILTER_KEY = 'gangwan.queueFilter'

function storedFilter (): QueueFilter {
  try {
    const v = JSON.parse(localStorage.getItem(FILTER_KEY) ?? 'null') as Partial<QueueFilter> | null
    return v === null ? DEFAULT_FILTER : { ...DEFAULT_FILTER, ...v }
  } catch {
    return DEFAULT_FILTER
  }
}

/**
 * The live incident queue: filters on top, the virtualised list, and the selected incident with
 * its actions. j/k (or ↓/↑) move, Enter opens, the action letters act.
 */
export function QueuePage () {
  const { t } = useTranslation()
  const { store } = useApp()
  const snap = useIncidentSnapshot(store)
  const [filter, setFilter] = useState<QueueFilter>(storedFilter)
  const [selectedId, setSelectedId] = useState<string>()

  useEffect(() => {
    try { localStorage.setItem(FILTER_KEY, JSON.stringify(filter)) } catch { /* private mode */ }
    if (filter.statuses.some((s) => FINAL_STATUSES.includes(s))) store.loadFinal()
  }, [filter, store])

  const rows = useMemo(() => orderQueue(snap.byId.values(), filter), [snap.revision, snap.byId, filter])
  const selected = selectedId !== undefined ? snap.byId.get(selectedId) : undefined
  const detail = useIncidentDetail(store, selected?.id, selected?.version)

  const open = useCallback((id: string) => { navigate({ page: 'incident', id }) }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (keyIsForInput(e)) return
      const index = selectedId === undefined ? -1 : rows.findIndex((i) => i.id === selectedId)
      const move = (to: number): void => {
        const next = rows[Math.max(0, Math.min(rows.length - 1, to))]
        if (next !== undefined) setSelectedId(next.id)
        e.preventDefault()
      }
      switch (e.key) {
        case 'j': case 'ArrowDown': move(index + 1); break
        case 'k': case 'ArrowUp': move(index < 0 ? 0 : index - 1); break
        case 'PageDown': move(index + 10); break
        case 'PageUp': move(index - 10); break
        case 'Home': move(0); break
        case 'End': move(rows.length - 1); break
        case 'Enter': if (selectedId !== undefined) { e.preventDefault(); open(selectedId) } break
        default: break
      }
    }
    window.addEventListener('keydown', onKey)
    return () => { window.removeEventListener('keydown', onKey) }
  }, [rows, selectedId, open])

  return <div className="queue-page" data-testid="page-queue">
    <QueueFilters filter={filter} onChange={setFilter} />
    <div className="queue-status">
      <span data-testid="queue-count" data-shown={rows.length} data-total={snap.byId.size}>
        {t('queue.shown', { shown: rows.length, total: snap.byId.size })}
      </span>
      {snap.loading && <span className="muted" data-testid="queue-loading">{t('queue.loadingPages', { loaded: snap.loaded, total: snap.total })}</span>}
      {snap.error !== undefined && <span className="error-text" data-testid="queue-error">{t('app.loadFailed', { message: snap.error })}</span>}
    </div>
    <div className="queue-main">
      <QueueList incidents={rows} selectedId={selectedId} fresh={snap.fresh} onSelect={setSelectedId} onOpen={open} />
      <aside className="queue-side" data-testid="queue-side">
        {selected === undefined
          ? <div className="muted hint">{t('queue.selectHint')}</div>
          : <>
            <IncidentSummary incident={selected} compact />
            <ActionBar incident={selected} detail={detail.detail} reload={detail.reload} keyboard />
            <button type="button" className="link-button" data-testid="open-incident" onClick={() => { open(selected.id) }}>{t('queue.open')} ↵</button>
          </>}
        <div className="shortcut-help" data-testid="shortcut-help">
          <h3>{t('queue.shortcuts')}</h3>
          <p>{t('queue.shortcutNav')}</p>
          <ul>
            {(Object.keys(SHORTCUTS) as Array<keyof typeof SHORTCUTS>).map((k) => <li key={k} data-shortcut={actionTestId(k)}>
              <kbd>{SHORTCUTS[k].toUpperCase()}</kbd> {t(`action.${k}`)}
            </li>)}
          </ul>
        </div>
      </aside>
    </div>
  </div>
}
