// The operator console's wall mode (larger type for a video wall) in a real browser against a real
// hub holding open incidents: at 4K and at 1080p the queue's text is large enough to read across
// the room and nothing overflows sideways. Saves docs/screenshots/wall-<width>x<height>.png.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { seedOpenIncidents } from '../../bench/lib/seed-open-incidents.ts'
import { CONSOLE_BUILT, SCREENSHOTS, launchChromium } from '../../test-support/chromium.ts'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { uniqueDb } from '../../test-support/influx.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const BUILT = CONSOLE_BUILT
const COMMUNITY = join(ROOT, 'communities/huaguoyuan.json')
const SHOTS = SCREENSHOTS
const INCIDENTS = 300

/**
 * Readable across a room: the queue's main text (the incident title) is at least 1/60 of the
 * screen's height. Seen from three screen heights away that is 1/180 rad ≈ 19 arcminutes, within
 * the 16–24′ ISO 9241-303 asks of character height; the smaller cells (id, badges) at least 1/80.
 */
const MAIN_TEXT_SHARE = 1 / 60
const SMALL_TEXT_SHARE = 1 / 80

interface Layout {
  titlePx: number
  smallestPx: number
  titleWidthPx: number
  rows: number
  overflow: Array<{ what: string, scrollWidth: number, clientWidth: number }>
}

/** Font sizes in the queue's first row and every box that scrolls or overflows sideways. */
function measure (): Layout {
  interface El { scrollWidth: number, clientWidth: number, className: string, querySelectorAll: (s: string) => ArrayLike<El>, querySelector: (s: string) => El | null }
  const g = globalThis as unknown as { document: { documentElement: El, querySelector: (s: string) => El | null, querySelectorAll: (s: string) => ArrayLike<El> }, getComputedStyle: (e: El) => { fontSize: string } }
  const px = (e: El): number => parseFloat(g.getComputedStyle(e).fontSize)
  const row = g.document.querySelector('[data-testid^="queue-row-"]')!
  const title = row.querySelector('.c-title')!
  const texts = Array.from(row.querySelectorAll('[role="cell"], [role="cell"] *'))
  const boxes: Array<[string, El | null]> = [
    ['page', g.document.documentElement], ['top bar', g.document.querySelector('.top-bar')], ['queue', g.document.querySelector('[data-testid="queue-scroll"]')],
    ['queue header', g.document.querySelector('.queue-head')], ['row', row], ['filters', g.document.querySelector('[data-testid="queue-filters"]')]
  ]
  return {
    titlePx: px(title),
    smallestPx: Math.min(...texts.map(px)),
    titleWidthPx: title.clientWidth,
    rows: g.document.querySelectorAll('[data-testid^="queue-row-"]').length,
    overflow: boxes.filter(([, e]) => e !== null && e.scrollWidth > e.clientWidth + 1).map(([what, e]) => ({ what, scrollWidth: e!.scrollWidth, clientWidth: e!.clientWidth }))
  }
}

describe.skipIf(!BUILT)(BUILT
  ? 'the console\'s wall mode in Chromium: readable and without sideways overflow at 4K and 1080p'
  : 'the console\'s wall mode (skipped: dashboard/console/dist/index.html is missing; build it with npm run build:console -w dashboard)', () => {
  let dir: string | undefined
  let hub: HubProcess
  let browser: Browser
  let password: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gangwan-console-wall-'))
    const dataDir = join(dir, 'data')
    await mkdir(dataDir, { recursive: true })
    const raw = JSON.parse(await readFile(COMMUNITY, 'utf8')) as Record<string, unknown>
    await seedOpenIncidents({ raw, dbPath: join(dataDir, 'dispatch.db'), incidents: INCIDENTS, endAt: Date.now() - 3600_000 })
    hub = await startHubProcess({
      GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: COMMUNITY, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: '0',
      GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: inject('influxUrl'), GANGWAN_INFLUX_DB: uniqueDb('console_wall')
    }, 120_000)
    browser = await launchChromium()
    password = (JSON.parse(await readFile(hub.info.operatorsFile, 'utf8')) as Record<string, string>).operator!
    await mkdir(SHOTS, { recursive: true })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await hub?.kill()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  /** The operator logged in at `width`×`height`, on the queue with every incident loaded, in desk mode. */
  async function queueAt (width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    context.setDefaultTimeout(30_000)
    const page = await context.newPage()
    await page.goto(`${hub.info.httpUrl}/`)
    await page.getByTestId('login-username').fill('operator')
    await page.getByTestId('login-password').fill(password)
    await page.getByTestId('login-submit').click()
    await page.locator(`[data-testid="queue-count"][data-total="${INCIDENTS}"]`).waitFor()
    await page.getByTestId('queue-loading').waitFor({ state: 'detached' })
    return page
  }

  for (const [width, height] of [[3840, 2160], [1920, 1080]] as const) {
    it(`at ${width}×${height} the wall mode's queue text is at least 1/60 of the screen high, larger than at the desk, and nothing overflows sideways`, async () => {
      const page = await queueAt(width, height)
      try {
        const desk = await page.evaluate(measure)
        await page.getByTestId('wall-mode').click()
        await page.locator('[data-testid="wall-mode"][aria-pressed="true"]').waitFor()
        await page.waitForFunction(() => (globalThis as unknown as { document: { documentElement: { classList: { contains: (c: string) => boolean } } } }).document.documentElement.classList.contains('wall'))
        const wall = await page.evaluate(measure)
        await page.screenshot({ path: join(SHOTS, `wall-${width}x${height}.png`), animations: 'disabled', caret: 'hide' })

        expect(wall.titlePx).toBeGreaterThan(desk.titlePx)
        expect(wall.titlePx).toBeGreaterThanOrEqual(height * MAIN_TEXT_SHARE)
        expect(wall.smallestPx).toBeGreaterThanOrEqual(height * SMALL_TEXT_SHARE)
        // The title column keeps its minimum of eight characters (8rem; 7.5 for rounding to whole pixels).
        expect(wall.titleWidthPx).toBeGreaterThanOrEqual(7.5 * wall.titlePx)
        expect(wall.overflow).toEqual([])
        expect(wall.rows).toBeGreaterThan(5)
      } finally {
        await page.context().close()
      }
    })
  }
})
