import type { IncidentAction, IncidentActionType } from '@gangwan/contracts'
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { act } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { IncidentDetail, QueueIncident } from '../api/types.ts'
import { useApp } from '../state/app-context.tsx'
import { CloseDialog, DispatchDialog, ReasonDialog, ResolveDialog } from './action-dialogs.tsx'
import { keyIsForInput } from './modal.tsx'
import { useToast } from './toast.tsx'

/** Actions as the console offers them: the API's (escalation climbs one tier of the incident's ladder). */
export type ActionKey = IncidentActionType

/** Keyboard shortcuts (issue 5): a accept, d dispatch, r resolve, v verify, f false alarm, o reopen, … */
export const SHORTCUTS: Readonly<Record<ActionKey, string>> = {
  dispatch: 'd', escalate: 'e', accept: 'a', arrive: 'h', resolve: 'r', verify: 'v', reject: 'x', close: 'c', false_alarm: 'f', reopen: 'o'
}
const ORDER: readonly ActionKey[] = ['accept', 'dispatch', 'escalate', 'arrive', 'resolve', 'verify', 'reject', 'close', 'false_alarm', 'reopen']
/** Taken at once, without a dialog (nothing to fill in). */
const IMMEDIATE: ReadonlySet<ActionKey> = new Set(['accept', 'arrive', 'verify'])

/** `action-false-alarm` etc.: stable test ids. */
export const actionTestId = (k: ActionKey): string => `action-${k.replace('_', '-')}`

/** What the caller may do now: the API's `allowedActions` for this caller, in the console's order. */
export function offeredActions (_incident: QueueIncident, allowed: readonly IncidentActionType[]): ActionKey[] {
  const set = new Set<ActionKey>(allowed)
  return ORDER.filter((k) => set.has(k))
}

/** A readable sentence for an action that failed (409 after a refresh, 403, network, …). */
export function useErrorText (): (err: unknown) => string {
  const { t } = useTranslation()
  return useCallback((err: unknown) => {
    if (!(err instanceof ApiError)) return t('error.generic', { code: '?', message: String(err) })
    switch (err.code) {
      case 'GW_ERR_DISPATCH_STALE': return t('error.stale')
      case 'GW_ERR_DISPATCH_INVALID_TRANSITION': return t('error.transition')
      case 'GW_ERR_API_FORBIDDEN': return t('error.forbidden')
      case 'GW_ERR_DISPATCH_NOT_FOUND': return t('error.notFound')
      case 'NETWORK': return t('error.network')
      default:
        return err.status === 400 ? t('error.badRequest', { message: err.message }) : t('error.generic', { code: err.code, message: err.message })
    }
  }, [t])
}

/**
 * The action buttons of one incident and their dialogs, with keyboard shortcuts when `keyboard`
 * is on. Every action carries the version on screen (`If-Match`); a 409 means someone else was
 * faster: the incident is fetched again, the operator told, and the dialog stays open only if the
 * action is still allowed.
 */
export function ActionBar ({ incident, detail, reload, keyboard }: {
  incident: QueueIncident
  detail: IncidentDetail | undefined
  reload: () => Promise<IncidentDetail | undefined>
  keyboard: boolean
}) {
  const { t } = useTranslation()
  const { store } = useApp()
  const toast = useToast()
  const errorText = useErrorText()
  const [dialog, setDialog] = useState<ActionKey>()
  const [busy, setBusy] = useState(false)
  // Actions belong to the detail of this very incident; none while it loads.
  const offered = useMemo(() => (detail !== undefined && detail.incident.id === incident.id
    ? offeredActions(incident, detail.allowedActions)
    : []), [detail, incident])

  const run = useCallback(async (key: ActionKey, action: IncidentAction) => {
    setBusy(true)
    try {
      const changed = await act(incident.id, action, incident.version)
      store.apply(changed)
      setDialog(undefined)
      toast('success', t('action.done', { action: t(`action.${key}`), id: incident.id }))
      void reload()
    } catch (err) {
      toast('error', errorText(err))
      if (err instanceof ApiError && err.status === 409) {
        const fresh = await reload()
        if (fresh === undefined || !offeredActions(fresh.incident, fresh.allowedActions).includes(key)) setDialog(undefined)
      }
    } finally {
      setBusy(false)
    }
  }, [incident.id, incident.version, store, toast, t, errorText, reload])

  const start = useCallback((key: ActionKey) => {
    if (busy || !offered.includes(key)) return
    if (IMMEDIATE.has(key)) void run(key, { type: key as 'accept' | 'arrive' | 'verify' })
    else setDialog(key)
  }, [busy, offered, run])

  useEffect(() => {
    if (!keyboard) return
    const onKey = (e: KeyboardEvent): void => {
      if (keyIsForInput(e)) return
      const key = ORDER.find((k) => SHORTCUTS[k] === e.key.toLowerCase())
      if (key === undefined || !offered.includes(key)) return
      e.preventDefault()
      start(key)
    }
    window.addEventListener('keydown', onKey)
    return () => { window.removeEventListener('keydown', onKey) }
  }, [keyboard, offered, start])

  const close = (): void => { setDialog(undefined) }
  const submit = (action: IncidentAction): void => { if (dialog !== undefined) void run(dialog, action) }
  const props = { incident, busy, onSubmit: submit, onClose: close }
  let modal: ReactNode = null
  if (dialog === 'resolve') modal = <ResolveDialog {...props} />
  else if (dialog === 'escalate' || dialog === 'false_alarm' || dialog === 'reject' || dialog === 'reopen') modal = <ReasonDialog {...props} type={dialog} />
  else if (dialog === 'dispatch') modal = <DispatchDialog {...props} />
  else if (dialog === 'close') modal = <CloseDialog {...props} />

  return <div className="action-bar" data-testid="action-bar" data-busy={busy}>
    {detail === undefined
      ? <span className="muted">{t('app.loading')}</span>
      : offered.length === 0
        ? <span className="muted" data-testid="no-actions">{t('queue.noActions')}</span>
        : offered.map((k) => <button key={k} type="button" className={`action action-${k}`} data-testid={actionTestId(k)}
          disabled={busy} onClick={() => { start(k) }} title={`${t(`action.${k}`)} (${SHORTCUTS[k]})`}>
          {t(`action.${k}`)}<kbd>{SHORTCUTS[k].toUpperCase()}</kbd>
        </button>)}
    {modal}
  </div>
}
