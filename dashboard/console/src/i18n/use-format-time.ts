import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'

/** Date and time in the console's language, 24-hour clock (`2026/11/23 09:00:12` in zh-CN). */
export function useFormatTime (): (ms: number | undefined) => string {
  const { i18n } = useTranslation()
  const lang = i18n.language
  return useCallback((ms: number | undefined) => (ms === undefined
    ? '—'
    : new Date(ms).toLocaleString(lang, { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })), [lang])
}
