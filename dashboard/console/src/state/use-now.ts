import { useSyncExternalStore } from 'react'

// One clock for the whole console: every countdown ticks on the same second, with one timer.
const listeners = new Set<() => void>()
let now = Date.now()
let timer: ReturnType<typeof setInterval> | undefined

function subscribe (fn: () => void): () => void {
  listeners.add(fn)
  if (timer === undefined) {
    now = Date.now()
    timer = setInterval(() => {
      now = Date.now()
      for (const l of listeners) l()
    }, 1000)
  }
  return () => {
    listeners.delete(fn)
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer)
      timer = undefined
    }
  }
}

/** Wall-clock milliseconds, re-rendering the caller once a second. */
export function useNow (): number {
  return useSyncExternalStore(subscribe, () => now)
}
