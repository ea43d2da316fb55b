// Functions that run inside the console's page (Chromium, through playwright-core's evaluate and
// addInitScript): they are serialised, so they use nothing from this module's scope. The root
// tsconfig has no DOM library; the few DOM shapes they touch are declared here.

interface El {
  dataset: Record<string, string | undefined>
  scrollTop: number
  scrollHeight: number
  clientHeight: number
  querySelectorAll: (s: string) => ArrayLike<El>
  closest: (s: string) => El | null
  getAttribute: (n: string) => string | null
  getBoundingClientRect: () => { top: number }
}
interface PageGlobals {
  document: { querySelector: (s: string) => El | null, querySelectorAll: (s: string) => ArrayLike<El>, addEventListener: (t: string, f: (e: { target: El }) => void, capture: boolean) => void }
  performance: { now: () => number, getEntriesByType: (t: string) => Array<Record<string, number | string>> }
  requestAnimationFrame: (f: (t: number) => void) => number
  setTimeout: (f: () => void, ms: number) => number
  MutationObserver: new (f: () => void) => { observe: (n: unknown, o: Record<string, unknown>) => void }
  PerformanceObserver: new (f: (l: { getEntries: () => Array<{ startTime: number, duration: number }> }) => void) => { observe: (o: Record<string, unknown>) => void }
  gangwanBench?: PageMarks
}

/** Times (ms since navigation start) the probe saw things happen on the page; -1 until then. */
export interface PageMarks {
  loginForm: number
  submit: number
  firstRow: number
  allLoaded: number
  /** Incident ids of the queue's top rows, top first: when the first rows were painted, and when all were loaded. */
  firstScreen: string[]
  loadedScreen: string[]
  longTasks: Array<{ start: number, duration: number }>
  /** Wall-clock (epoch ms) when {@link watchFor} first saw what it waits for, by its key. */
  live: Record<string, number>
}

/**
 * Installed before the console's scripts run: notes when the login form shows, when the submit
 * button is clicked, when the first queue row is in the DOM and when all `expected` incidents are
 * loaded (no "loading" note, `data-total` reached), each after the frame that paints it; and the
 * page's long tasks (> 50 ms on the main thread).
 */
export function installProbe (expected: number): void {
  const g = globalThis as unknown as PageGlobals
  const marks: PageMarks = { loginForm: -1, submit: -1, firstRow: -1, allLoaded: -1, firstScreen: [], loadedScreen: [], longTasks: [], live: {} }
  g.gangwanBench = marks
  // After the next frame: the DOM change has been painted (or is being painted) by then.
  const painted = (set: (t: number) => void): void => { g.requestAnimationFrame(() => { g.setTimeout(() => { set(g.performance.now()) }, 0) }) }
  // Rows are positioned by transform and reused across scrolling, so screen order is by position, not DOM order.
  const topRows = (): string[] => Array.from(g.document.querySelectorAll('[data-testid^="queue-row-"]'))
    .map((r) => ({ id: (r.getAttribute('data-testid') ?? '').replace('queue-row-', ''), top: r.getBoundingClientRect().top }))
    .sort((a, b) => a.top - b.top).slice(0, 15).map((r) => r.id)
  let seen = { loginForm: false, firstRow: false, allLoaded: false }
  const check = (): void => {
    const d = g.document
    if (!seen.loginForm && d.querySelector('[data-testid="login-username"]') !== null) { seen = { ...seen, loginForm: true }; painted((t) => { marks.loginForm = t }) }
    if (!seen.firstRow && d.querySelector('[data-testid^="queue-row-"]') !== null) { seen = { ...seen, firstRow: true }; painted((t) => { marks.firstRow = t; marks.firstScreen = topRows() }) }
    const count = d.querySelector('[data-testid="queue-count"]')
    if (!seen.allLoaded && count !== null && d.querySelector('[data-testid="queue-loading"]') === null && Number(count.dataset.total) >= expected) {
      seen = { ...seen, allLoaded: true }
      painted((t) => { marks.allLoaded = t; marks.loadedScreen = topRows() })
    }
  }
  new g.MutationObserver(check).observe(g.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-total'] })
  g.document.addEventListener('click', (e) => { if (e.target.closest('[data-testid="login-submit"]') !== null) marks.submit = g.performance.now() }, true)
  new g.PerformanceObserver((list) => {
    for (const e of list.getEntries()) marks.longTasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
}

/** The probe's marks. */
export function readMarks (): PageMarks {
  return (globalThis as unknown as PageGlobals).gangwanBench!
}

/** The page's requests for the incident list (Resource Timing): size and time to first byte of each. */
export function incidentRequests (): Array<{ url: string, start: number, ttfbMs: number, durationMs: number, bytes: number }> {
  const g = globalThis as unknown as PageGlobals
  return g.performance.getEntriesByType('resource')
    .filter((e) => String(e.name).includes('/api/v1/incidents?'))
    .map((e) => ({
      url: String(e.name).replace(/^https?:\/\/[^/]+/, ''),
      start: Number(e.startTime),
      ttfbMs: Number(e.responseStart) - Number(e.requestStart),
      durationMs: Number(e.responseEnd) - Number(e.startTime),
      bytes: Number(e.decodedBodySize)
    }))
}

/** Queue rows in the DOM now, and all elements. */
export function domCounts (): { rows: number, elements: number } {
  const d = (globalThis as unknown as PageGlobals).document
  return { rows: d.querySelectorAll('[data-testid^="queue-row-"]').length, elements: d.querySelectorAll('*').length }
}

/**
 * Scrolls the queue down from the top over `durationMs`, one step per animation frame (scrollTop
 * set in requestAnimationFrame, as a smooth scroll or a held wheel would): to the bottom, or
 * `pxPerS` fast. Returns the interval between consecutive frames, the most rows in the DOM at
 * once, and whether it reached the end.
 */
export async function scrollQueue ({ durationMs, pxPerS }: { durationMs: number, pxPerS?: number }): Promise<{ frames: number[], maxRows: number, bottom: boolean, scrollPx: number, lastRow: string | null }> {
  const g = globalThis as unknown as PageGlobals
  const el = g.document.querySelector('[data-testid="queue-scroll"]')!
  el.scrollTop = 0
  const frame = async (): Promise<number> => await new Promise<number>((resolve) => { g.requestAnimationFrame(resolve) })
  await frame()
  await frame()
  const end = el.scrollHeight - el.clientHeight
  const max = pxPerS === undefined ? end : Math.min(end, pxPerS * durationMs / 1000)
  const frames: number[] = []
  let maxRows = 0
  const start = await frame()
  let last = start
  for (let p = 0; p < 1;) {
    p = Math.min(1, (last - start) / durationMs)
    el.scrollTop = Math.round(p * max)
    const t = await frame()
    frames.push(t - last)
    last = t
    maxRows = Math.max(maxRows, el.querySelectorAll('[data-testid^="queue-row-"]').length)
  }
  const rows = el.querySelectorAll('[data-testid^="queue-row-"]')
  return { frames, maxRows, bottom: el.scrollTop >= end - 1, scrollPx: max, lastRow: rows.length > 0 ? rows[rows.length - 1]!.getAttribute('data-testid') : null }
}

/**
 * Notes (in the probe's `live[key]`) the wall-clock time the page first shows what `what` names:
 * the queue's total reaching `total`, or an element matching `selector` being in the DOM.
 */
export function watchFor ({ key, total, selector }: { key: string, total?: number, selector?: string }): void {
  const g = globalThis as unknown as PageGlobals
  const live = g.gangwanBench!.live
  const check = (): void => {
    if (live[key] !== undefined) return
    const count = g.document.querySelector('[data-testid="queue-count"]')
    const ok = total !== undefined ? count !== null && Number(count.dataset.total) >= total : g.document.querySelector(selector ?? '') !== null
    if (ok) live[key] = Date.now()
  }
  check()
  new g.MutationObserver(check).observe(g.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-total', 'data-severity', 'data-testid'] })
}
