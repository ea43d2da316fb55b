import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.tsx'
import { ToastProvider } from './components/toast.tsx'
import { initI18n } from './i18n/index.ts'
import './styles.css'

initI18n()
createRoot(document.getElementById('root')!).render(<StrictMode><ToastProvider><App /></ToastProvider></StrictMode>)
