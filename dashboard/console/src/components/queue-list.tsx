import type { QueueIncident } from '../api/types.ts'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useApp } from '../state/app-context.tsx'
import { useNow } from '../state/use-now.ts'
import { CategoryLabel, LocationText, SeverityBadge, StatusBadge } from './badges.tsx'
import { SlaCountdown } from './sla-countdown.tsx'

/** Row height in rem: rows scale with the page's type (wall mode) and stay fixed-size for the virtualiser. */
const ROW_REM = 3.1

function useRootFontPx (): number {
  const ref = useRef(16)
  ref.current = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16
  return ref.current
}

const Row = memo(function Row ({ incident, selected, fresh, now, onSelect, onOpen, top, height }: {
  incident: QueueIncident
  selected: boolean
  fresh: boolean
  now: number
  onSelect: (id: string) => void
  onOpen: (id: string) => void
  top: number
  height: number
}) {
  const { lookups } = useApp()
  return <div role="row" aria-selected={selected} data-testid={`queue-row-${incident.id}`} data-status={incident.status}
    data-severity={incident.severity} className={`queue-row${selected ? ' selected' : ''}${fresh ? ' fresh' : ''} row-${incident.severity}`}
    style={{ transform: `translateY(${top}px)`, height }} onClick={() => { onSelect(incident.id) }}
    onDoubleClick={() => { onOpen(incident.id) }}>
    <span role="cell" className="c-sev"><SeverityBadge severity={incident.severity} short /></span>
    <span role="cell" className="c-id">{incident.id}</span>
    <span role="cell" className="c-title" title={incident.title}>{incident.title}</span>
    <span role="cell" className="c-cat"><CategoryLabel category={incident.category} /></span>
    <span role="cell" className="c-loc"><LocationText incident={incident} gridName={lookups.gridName} buildingName={lookups.buildingName} /></span>
    <span role="cell" className="c-dept">{lookups.departmentName(incident.department)}</span>
    <span role="cell" className="c-status"><StatusBadge status={incident.status} /></span>
    <span role="cell" className="c-sla"><SlaCountdown incident={incident} now={now} /></span>
  </div>
})

/**
 * The queue, virtualised (@tanstack/react-virtual): only the rows in view are in the DOM, so ten
 * thousand open incidents scroll as smoothly as ten. One clock tick re-renders the visible rows'
 * countdowns; sorting happens once per change, not per tick.
 */
export function QueueList ({ incidents, selectedId, fresh, onSelect, onOpen }: {
  incidents: readonly QueueIncident[]
  selectedId: string | undefined
  fresh: ReadonlyMap<string, number>
  onSelect: (id: string) => void
  onOpen: (id: string) => void
}) {
  const { t } = useTranslation()
  const now = useNow()
  const parent = useRef<HTMLDivElement>(null)
  const rowPx = Math.round(ROW_REM * useRootFontPx())
  // Rows render synchronously with each scroll event, so a few beyond each edge are enough; every
  // extra one is work in each frame of a fast scroll (docs/benchmarks.md, bench:console).
  const v = useVirtualizer({ count: incidents.length, getScrollElement: () => parent.current, estimateSize: () => rowPx, overscan: 4 })

  useEffect(() => { v.measure() }, [rowPx, v])
  const items = v.getVirtualItems()
  // Rows are keyed by slot, not by incident: a row scrolled out is reused for the one scrolled in
  // (new text, same elements). The rendered rows are consecutive, so index mod a count at least
  // as large as theirs never repeats; the count only grows.
  const slots = useRef(1)
  slots.current = Math.max(slots.current, items.length)
  const selectedIndex = selectedId === undefined ? -1 : incidents.findIndex((i) => i.id === selectedId)
  useEffect(() => {
    if (selectedIndex >= 0) v.scrollToIndex(selectedIndex, { align: 'auto' })
  }, [selectedIndex, v])

  return <div className="queue-table" role="table" aria-label={t('queue.title')} data-testid="queue-list">
    <div role="row" className="queue-row queue-head">
      <span role="columnheader" className="c-sev">{t('queue.colSeverity')}</span>
      <span role="columnheader" className="c-id">{t('queue.colId')}</span>
      <span role="columnheader" className="c-title">{t('queue.colTitle')}</span>
      <span role="columnheader" className="c-cat">{t('queue.colCategory')}</span>
      <span role="columnheader" className="c-loc">{t('queue.colLocation')}</span>
      <span role="columnheader" className="c-dept">{t('queue.colDepartment')}</span>
      <span role="columnheader" className="c-status">{t('queue.colStatus')}</span>
      <span role="columnheader" className="c-sla">{t('queue.colSla')}</span>
    </div>
    <div ref={parent} className="queue-scroll" data-testid="queue-scroll">
      {incidents.length === 0
        ? <div className="empty" data-testid="queue-empty">{t('queue.empty')}</div>
        : <div role="rowgroup" style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const incident = incidents[item.index]!
            return <Row key={item.index % slots.current} incident={incident} selected={incident.id === selectedId} fresh={fresh.has(incident.id)}
              now={now} onSelect={onSelect} onOpen={onOpen} top={item.start} height={item.size} />
          })}
        </div>}
    </div>
  </div>
}
