import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A modal dialog (the native `<dialog>`: focus trap, Esc to cancel). Keyboard shortcuts of the
 * page are off while one is open, since they check `document.querySelector('dialog[open]')`.
 */
export function Modal ({ title, onClose, children, testId, wide = false }: {
  title: string
  onClose: () => void
  children: ReactNode
  testId?: string
  wide?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d !== null && !d.open) d.showModal()
    return () => { if (d?.open === true) d.close() }
  }, [])
  return <dialog ref={ref} className={`modal${wide ? ' modal-wide' : ''}`} data-testid={testId}
    onCancel={(e) => { e.preventDefault(); onClose() }}>
    <header className="modal-head">
      <h2>{title}</h2>
      <button type="button" className="icon-button" aria-label="close" data-testid="dialog-close" onClick={onClose}>×</button>
    </header>
    <div className="modal-body">{children}</div>
  </dialog>
}

/** Whether a key press belongs to a text field or an open dialog rather than the page's shortcuts. */
export function keyIsForInput (e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return true
  const el = e.target as HTMLElement | null
  const tag = el?.tagName
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el?.isContentEditable === true) return true
  return document.querySelector('dialog[open]') !== null
}
