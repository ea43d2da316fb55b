import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react'

export type ToastKind = 'info' | 'success' | 'error'
interface Toast { id: number, kind: ToastKind, text: string }

const Ctx = createContext<(kind: ToastKind, text: string) => void>(() => {})

/** `toast('error', text)`: a message in the corner for a few seconds (errors longer). */
export function useToast (): (kind: ToastKind, text: string) => void {
  return useContext(Ctx)
}

export function ToastProvider ({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const next = useRef(1)
  const push = useCallback((kind: ToastKind, text: string) => {
    const id = next.current++
    setToasts((ts) => [...ts.slice(-4), { id, kind, text }])
    setTimeout(() => { setToasts((ts) => ts.filter((x) => x.id !== id)) }, kind === 'error' ? 8000 : 4000)
  }, [])
  const value = useMemo(() => push, [push])
  return <Ctx.Provider value={value}>
    {children}
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((x) => <div key={x.id} className={`toast toast-${x.kind}`} data-testid="toast" data-kind={x.kind}
        onClick={() => { setToasts((ts) => ts.filter((y) => y.id !== x.id)) }}>{x.text}</div>)}
    </div>
  </Ctx.Provider>
}
