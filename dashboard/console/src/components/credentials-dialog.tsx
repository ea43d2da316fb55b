import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { issueCredentials } from '../api/endpoints.ts'
import type { IssuedCredentials } from '../api/types.ts'
import { useErrorText } from './action-bar.tsx'
import { Modal } from './modal.tsx'

/**
 * Admin: (re-)issue the MQTT secret of a gateway or a direct device. Asks first (the old secret
 * stops working), then shows the answer this once; nothing keeps it after the dialog closes.
 */
export function CredentialsDialog ({ id, onClose }: { id: string, onClose: () => void }) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const [issued, setIssued] = useState<IssuedCredentials>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [copied, setCopied] = useState(false)

  const issue = (): void => {
    setBusy(true)
    setError(undefined)
    issueCredentials(id).then(setIssued, (err: unknown) => { setError(errorText(err)) }).finally(() => { setBusy(false) })
  }
  const secret = issued?.fields.find(([k]) => k === issued.secretField)?.[1]

  return <Modal title={t('devices.credentialsTitle', { id })} onClose={onClose} testId="credentials-dialog">
    {issued === undefined
      ? <div className="form">
        <p>{t('devices.issueConfirm', { id })}</p>
        {error !== undefined && <p className="error-text" data-testid="credentials-error">{error}</p>}
        <div className="form-actions">
          <button type="button" onClick={onClose} data-testid="dialog-cancel">{t('app.cancel')}</button>
          <button type="button" className="primary danger" data-testid="credentials-confirm" disabled={busy} onClick={issue} autoFocus>{t('devices.issue')}</button>
        </div>
      </div>
      : <div className="form">
        <p className="warning" data-testid="credentials-once">{t('devices.credentialsOnce')}</p>
        <dl className="facts credentials">
          {issued.fields.map(([k, v]) => <div key={k} className="fact">
            <dt>{k}</dt>
            <dd><code data-testid={k === issued.secretField ? 'credentials-secret' : `credentials-${k}`} className={k === issued.secretField ? 'secret' : undefined}>{v}</code></dd>
          </div>)}
        </dl>
        <div className="form-actions">
          {secret !== undefined && <button type="button" data-testid="credentials-copy" onClick={() => {
            void navigator.clipboard?.writeText(secret).then(() => { setCopied(true) })
          }}>{copied ? t('app.copied') : t('app.copy')}</button>}
          <button type="button" className="primary" data-testid="credentials-close" onClick={onClose}>{t('app.close')}</button>
        </div>
      </div>}
  </Modal>
}
