import type { Alert } from '@gangwan/contracts'
import { useEffect, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { LinkedAlert } from '../api/types.ts'
import { ActionBar } from '../components/action-bar.tsx'
import { AlertExplanation } from '../components/alert-explanation.tsx'
import { FacadeView } from '../components/facade-view.tsx'
import { IncidentSummary } from '../components/incident-summary.tsx'
import { keyIsForInput } from '../components/modal.tsx'
import { TelemetryChart } from '../components/telemetry-chart.tsx'
import { Timeline } from '../components/timeline.tsx'
import { isFullIncident } from '../domain/queue-order.ts'
import { useApp } from '../state/app-context.tsx'
import { useIncidentSnapshot } from '../state/incident-store.ts'
import { navigate } from '../state/router.ts'
import { useIncidentDetail } from '../state/use-incident-detail.ts'

/** Telemetry shown around the alerts: this long before the first window and after the last (ms). */
const AROUND_MS = 15 * 60_000
/** Devices charted at most (an incident lists up to 100). */
const MAX_CHARTED = 8

/** The span of all alert windows, widened for context, and the devices that raised them. */
function telemetryScope (alerts: readonly LinkedAlert[], devices: readonly string[], now: number) {
  const windows = alerts.map((l) => l.alert.trigger.window)
  const from = Math.min(...windows.map((w) => w.fromMs)) - AROUND_MS
  const to = Math.min(now, Math.max(...windows.map((w) => w.toMs), ...alerts.map((l) => l.alert.lastSeenAt)) + AROUND_MS)
  const ids = [...new Set([...alerts.map((l) => l.alert.device).filter((d): d is string => d !== undefined), ...devices])]
  const first = alerts[0]?.alert.trigger.window
  // Whole minutes, so a refreshed detail of a live incident does not refetch the chart every time.
  const minute = (ms: number): number => Math.floor(ms / 60_000) * 60_000
  return { from: minute(from), to: minute(Math.max(to, from + 60_000)) + 60_000, devices: ids.slice(0, MAX_CHARTED), window: first }
}

/** The alert that carries a thrown object's track, if any. */
function trajectoryAlert (alerts: readonly LinkedAlert[]): Alert | undefined {
  return alerts.map((l) => l.alert).find((a) => (a.trigger.trajectory?.length ?? 0) > 1)
}

/** One incident: its facts and actions, timeline, why it fired, telemetry and (thrown objects) the façade. */
export function IncidentPage ({ id }: { id: string }) {
  const { t } = useTranslation()
  const { store, lookups } = useApp()
  const snap = useIncidentSnapshot(store)
  const live = snap.byId.get(id)
  const { detail, error, reload } = useIncidentDetail(store, id, live?.version, 0)
  // The live copy is at least as new as the detail (the detail fetch feeds the store). The queue's
  // projection of it lacks what this page shows; the detail, fetched again for a newer version, has it.
  const incident = live !== undefined && isFullIncident(live) ? live : detail?.incident

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!keyIsForInput(e) && e.key === 'Escape') navigate({ page: 'queue' })
    }
    window.addEventListener('keydown', onKey)
    return () => { window.removeEventListener('keydown', onKey) }
  }, [])

  const alerts = useMemo(() => detail?.alerts ?? [], [detail])
  const devicesKey = incident?.devices.join(',') ?? ''
  const scope = useMemo(() => (alerts.length > 0
    ? telemetryScope(alerts, devicesKey.split(',').filter((d) => d !== ''), Date.now())
    : undefined), [alerts, devicesKey])
  const thrown = useMemo(() => trajectoryAlert(alerts), [alerts])

  if (incident === undefined) {
    return <div className="page" data-testid="page-incident">
      <a href="#/queue" className="link-button">← {t('incident.back')}</a>
      {error === undefined
        ? <div className="muted" data-testid="incident-loading">{t('app.loading')}</div>
        : <div className="error-text" data-testid="incident-missing" data-status={error.status}>
          {error.status === 404 ? t('incident.notFound', { id }) : error.status === 403 ? t('error.forbidden') : t('app.loadFailed', { message: error.message })}
        </div>}
    </div>
  }

  const building = lookups.community?.buildings.find((b) => b.id === (thrown?.location.building ?? incident.location.building))
  const facadeId = thrown?.location.facade ?? incident.location.facade
  const facade = building?.facades.find((f) => f.id === facadeId)
  return <div className="page incident-page" data-testid="page-incident" data-incident={incident.id}>
    <nav className="crumbs"><a href="#/queue" data-testid="back-to-queue">← {t('incident.back')}</a></nav>
    <div className="incident-grid">
      <div className="incident-col">
        <section className="panel">
          <IncidentSummary incident={incident} />
          <ActionBar incident={incident} detail={detail} reload={reload} keyboard />
        </section>
        <section className="panel">
          <h3>{t('incident.timeline')}</h3>
          {detail === undefined ? <div className="muted">{t('app.loading')}</div> : <Timeline entries={detail.timeline} />}
        </section>
      </div>
      <div className="incident-col">
        <section className="panel" data-testid="incident-why">
          <h3>{t('incident.why')}</h3>
          {alerts.map((l, i) => <AlertExplanation key={l.alert.key} linked={l} index={i} />)}
        </section>
        {thrown?.trigger.trajectory !== undefined && <section className="panel" data-testid="trajectory-panel">
          <h3>{t('incident.trajectory')}</h3>
          {building !== undefined
            ? <FacadeView building={building} facadeWidthM={facade?.widthM ?? building.footprint.widthM}
              trajectory={thrown.trigger.trajectory} floorRange={thrown.location.floorRange ?? incident.location.floorRange} />
            : <div className="muted">{t('incident.trajectoryMissing')}</div>}
        </section>}
        {scope !== undefined && <TelemetryChart devices={scope.devices} from={scope.from} to={scope.to} alertWindow={scope.window} />}
      </div>
    </div>
  </div>
}
