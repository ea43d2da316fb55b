import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { en } from './en.ts'
import { zhCN } from './zh-cn.ts'

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
const STORAGE_KEY = 'gangwan.lang'

function stored (): Language {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    return v === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

/** Chinese first: zh-CN unless the operator switched to English on this browser. */
export function initI18n (): typeof i18next {
  const lng = stored()
  void i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false
  })
  document.documentElement.lang = lng
  return i18next
}

/** Switches the language and remembers it in localStorage. */
export function setLanguage (lng: Language): void {
  void i18next.changeLanguage(lng)
  document.documentElement.lang = lng
  try {
    localStorage.setItem(STORAGE_KEY, lng)
  } catch {
    // Private mode: the switch holds for this page only.
  }
}

export function currentLanguage (): Language {
  return i18next.language === 'en' ? 'en' : 'zh-CN'
}
