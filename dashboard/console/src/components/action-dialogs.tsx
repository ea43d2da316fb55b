import type { IncidentAction } from '@gangwan/contracts'
import { useMemo, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { QueueIncident } from '../api/types.ts'
import { useApp } from '../state/app-context.tsx'
import { Modal } from './modal.tsx'

interface DialogProps {
  incident: QueueIncident
  busy: boolean
  onSubmit: (action: IncidentAction) => void
  onClose: () => void
}

/** `resolve`: the handler's feedback (GB/T 30428 反馈): a note, required, and an evidence reference. */
export function ResolveDialog ({ incident, busy, onSubmit, onClose }: DialogProps) {
  const { t } = useTranslation()
  const [note, setNote] = useState('')
  const [evidence, setEvidence] = useState('')
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (note.trim() === '') return
    onSubmit({ type: 'resolve', note: note.trim(), ...(evidence.trim() !== '' ? { evidence: evidence.trim() } : {}) })
  }
  return <Modal title={t('dialog.resolveTitle', { id: incident.id })} onClose={onClose} testId="dialog-resolve">
    <form onSubmit={submit} className="form">
      <label>{t('dialog.note')}
        <textarea data-testid="feedback-note" required maxLength={2000} rows={4} autoFocus value={note}
          placeholder={t('dialog.notePlaceholder')} onChange={(e) => { setNote(e.target.value) }} />
      </label>
      <label>{t('dialog.evidence')}
        <input data-testid="feedback-evidence" maxLength={512} value={evidence}
          placeholder={t('dialog.evidencePlaceholder')} onChange={(e) => { setEvidence(e.target.value) }} />
      </label>
      <div className="form-actions">
        <button type="button" onClick={onClose} data-testid="dialog-cancel">{t('app.cancel')}</button>
        <button type="submit" className="primary" data-testid="feedback-submit" disabled={busy || note.trim() === ''}>{t('dialog.submit')}</button>
      </div>
    </form>
  </Modal>
}

/** `escalate`, `false_alarm`, `reject`, `reopen`: each needs a reason. */
export function ReasonDialog ({ incident, busy, onSubmit, onClose, type }: DialogProps & { type: 'escalate' | 'false_alarm' | 'reject' | 'reopen' }) {
  const { t } = useTranslation()
  const [reason, setReason] = useState('')
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (reason.trim() !== '') onSubmit({ type, reason: reason.trim() })
  }
  return <Modal title={t('dialog.reasonTitle', { action: t(`action.${type}`), id: incident.id })} onClose={onClose} testId={`dialog-${type}`}>
    <form onSubmit={submit} className="form">
      <label>{t('dialog.reason')}
        <textarea data-testid="reason-input" required maxLength={2000} rows={3} autoFocus value={reason}
          placeholder={t('dialog.reasonPlaceholder')} onChange={(e) => { setReason(e.target.value) }} />
      </label>
      <div className="form-actions">
        <button type="button" onClick={onClose} data-testid="dialog-cancel">{t('app.cancel')}</button>
        <button type="submit" className="primary" data-testid="reason-submit" disabled={busy || reason.trim() === ''}>{t('dialog.submit')}</button>
      </div>
    </form>
  </Modal>
}

/** `dispatch`: department and handler pickers from the community file; without it, free text. */
export function DispatchDialog ({ incident, busy, onSubmit, onClose }: DialogProps) {
  const { t } = useTranslation()
  const { lookups } = useApp()
  const departments = useMemo(() => lookups.community?.departments ?? [], [lookups.community])
  const [department, setDepartment] = useState(incident.department ?? '')
  const [handler, setHandler] = useState('')
  const [note, setNote] = useState('')
  const handlers = departments.find((d) => d.id === department)?.handlers ?? []
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    onSubmit({
      type: 'dispatch',
      ...(department !== '' ? { department } : {}),
      ...(handler !== '' ? { handler } : {}),
      ...(note.trim() !== '' ? { note: note.trim() } : {})
    })
  }
  return <Modal title={t('dialog.dispatchTitle', { id: incident.id })} onClose={onClose} testId="dialog-dispatch">
    <form onSubmit={submit} className="form">
      <label>{t('dialog.department')}
        {departments.length > 0
          ? <select data-testid="dispatch-department" value={department} autoFocus
            onChange={(e) => { setDepartment(e.target.value); setHandler('') }}>
            <option value="">{t('dialog.autoDepartment')}</option>
            {departments.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
          : <input data-testid="dispatch-department" value={department} autoFocus onChange={(e) => { setDepartment(e.target.value) }} />}
      </label>
      <label>{t('dialog.handler')}
        {handlers.length > 0 || departments.length > 0
          ? <select data-testid="dispatch-handler" value={handler} onChange={(e) => { setHandler(e.target.value) }}>
            <option value="">{t('dialog.autoHandler')}</option>
            {handlers.map((h) => <option key={h.id} value={h.id}>{h.name} ({h.id})</option>)}
          </select>
          : <input data-testid="dispatch-handler" value={handler} onChange={(e) => { setHandler(e.target.value) }} />}
      </label>
      <label>{t('dialog.optionalNote')}
        <textarea data-testid="dispatch-note" maxLength={2000} rows={2} value={note} onChange={(e) => { setNote(e.target.value) }} />
      </label>
      <div className="form-actions">
        <button type="button" onClick={onClose} data-testid="dialog-cancel">{t('app.cancel')}</button>
        <button type="submit" className="primary" data-testid="dispatch-submit" disabled={busy}>{t('dialog.submit')}</button>
      </div>
    </form>
  </Modal>
}

/** `close`: the reporter's satisfaction when known (满意率), and a note. */
export function CloseDialog ({ incident, busy, onSubmit, onClose }: DialogProps) {
  const { t } = useTranslation()
  const [satisfied, setSatisfied] = useState<'' | 'yes' | 'no'>('')
  const [note, setNote] = useState('')
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    onSubmit({
      type: 'close',
      ...(satisfied !== '' ? { satisfied: satisfied === 'yes' } : {}),
      ...(note.trim() !== '' ? { note: note.trim() } : {})
    })
  }
  return <Modal title={t('dialog.closeTitle', { id: incident.id })} onClose={onClose} testId="dialog-close-incident">
    <form onSubmit={submit} className="form">
      <fieldset className="radio-row">
        <legend>{t('dialog.satisfied')}</legend>
        {(['', 'yes', 'no'] as const).map((v) => <label key={v} className="radio">
          <input type="radio" name="satisfied" data-testid={`close-satisfied-${v === '' ? 'unknown' : v}`} checked={satisfied === v}
            onChange={() => { setSatisfied(v) }} />
          {v === 'yes' ? t('dialog.satisfiedYes') : v === 'no' ? t('dialog.satisfiedNo') : t('dialog.satisfiedUnknown')}
        </label>)}
      </fieldset>
      <label>{t('dialog.optionalNote')}
        <textarea data-testid="close-note" maxLength={2000} rows={2} value={note} onChange={(e) => { setNote(e.target.value) }} />
      </label>
      <div className="form-actions">
        <button type="button" onClick={onClose} data-testid="dialog-cancel">{t('app.cancel')}</button>
        <button type="submit" className="primary" data-testid="close-submit" autoFocus disabled={busy}>{t('dialog.submit')}</button>
      </div>
    </form>
  </Modal>
}
