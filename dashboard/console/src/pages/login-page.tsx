import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { login } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { Principal } from '../api/types.ts'
import { LanguageSwitch } from '../components/top-bar.tsx'

/** Username and password → a session cookie (HttpOnly, SameSite=Strict) for every later request. */
export function LoginPage ({ onLoggedIn }: { onLoggedIn: (p: Principal) => void }) {
  const { t } = useTranslation()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  const submit = (e: FormEvent): void => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    login(username.trim(), password).then((res) => {
      const u = res.user
      onLoggedIn({ type: 'user', id: u.id, name: u.name, role: u.role, ...(u.department !== undefined ? { department: u.department } : {}) })
    }, (err: unknown) => {
      setError(err instanceof ApiError && err.status === 401 ? t('login.failed') : t('login.error', { message: (err as Error).message }))
      setBusy(false)
    })
  }

  return <div className="login-page" data-testid="page-login">
    <form className="login-card" onSubmit={submit}>
      <div className="login-top"><LanguageSwitch /></div>
      <h1>{t('app.title')}</h1>
      <h2>{t('login.title')}</h2>
      <label>{t('login.username')}
        <input data-testid="login-username" autoComplete="username" autoFocus required value={username}
          onChange={(e) => { setUsername(e.target.value) }} />
      </label>
      <label>{t('login.password')}
        <input data-testid="login-password" type="password" autoComplete="current-password" required value={password}
          onChange={(e) => { setPassword(e.target.value) }} />
      </label>
      {error !== undefined && <div className="error-text" role="alert" data-testid="login-error">{error}</div>}
      <button type="submit" className="primary" data-testid="login-submit" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
    </form>
  </div>
}
