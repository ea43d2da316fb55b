// The operator console in a real browser (Chromium through playwright-core) against a real hub
// process: login, the live queue, the closed loop worked by a handler and an operator through the
// UI, statistics, language, map and devices. Saves a screenshot of each page to docs/screenshots/.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { freePort } from '@gangwan/ingest'
import { en } from '../../dashboard/console/src/i18n/en.ts'
import { zhCN } from '../../dashboard/console/src/i18n/zh-cn.ts'
import { CONSOLE_BUILT, SCREENSHOTS, launchChromium } from '../../test-support/chromium.ts'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { uniqueDb } from '../../test-support/influx.ts'
import { connectClient } from '../../test-support/mqtt-client.ts'
import { publishTwoDetectorFire } from '../../test-support/two-detector-fire.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const BUILT = CONSOLE_BUILT
const FIXTURE = join(ROOT, 'test-support/fixtures/mini-community.json')
const SHOTS = SCREENSHOTS

/** What the browser's scripts see of the page (the root tsconfig has no DOM library). */
interface BrowserGlobals {
  gangwanMarker?: string
  gangwanCanvas?: { sig: string, still: number }
  document: { querySelectorAll: <E>(s: string) => ArrayLike<E> }
  getComputedStyle: (el: unknown) => { overflowY: string }
}

/**
 * Whether the page's own scroller (`.page`) hides content below the fold. The console's layout is
 * one screen high and its pages scroll inside it, so a plain full-page screenshot would stop at
 * the fold.
 */
function pageScrolls (): boolean {
  const g = globalThis as unknown as BrowserGlobals
  return Array.from(g.document.querySelectorAll<{ scrollHeight: number, clientHeight: number }>('.page'))
    .some((el) => g.getComputedStyle(el).overflowY === 'auto' && el.scrollHeight > el.clientHeight)
}
/**
 * Lets the page grow with its content instead of scrolling inside the screen-high layout (viewport
 * units keep their 900 px); below the fold, where the body's viewport-fixed gradient ends, the
 * page shows the gradient's outer colour.
 */
const UNROLL_CSS = 'html, body, #root, .shell { height: auto !important; } .content, .page { overflow: visible !important; } html { background: var(--bg); }'

/**
 * True once every canvas on the page (ECharts) drew the same pixels for 10 animation frames in a
 * row: the charts' entry animations are over, so a screenshot shows them whole.
 */
function canvasesStill (): boolean {
  const g = globalThis as unknown as BrowserGlobals
  const canvases = Array.from(g.document.querySelectorAll<{ toDataURL: () => string }>('canvas'))
  const sig = canvases.map((c) => c.toDataURL()).join('|')
  const prev = g.gangwanCanvas
  g.gangwanCanvas = prev !== undefined && prev.sig === sig ? { sig, still: prev.still + 1 } : { sig, still: 0 }
  return canvases.length > 0 && g.gangwanCanvas.still >= 10
}

describe.skipIf(!BUILT)(BUILT
  ? 'the operator console in Chromium: a fire shows live, is worked through the UI and counted'
  : 'the operator console in Chromium (skipped: dashboard/console/dist/index.html is missing; build it with npm run build:console -w dashboard)', () => {
  let dir: string | undefined
  let hub: HubProcess
  let browser: Browser
  let passwords: Record<string, string>
  const contexts: BrowserContext[] = []
  /** Uncaught exceptions and console errors of every page (failed fetches, e.g. the 401 before login, excepted). */
  const pageErrors: string[] = []
  let operator: Page
  let incidentId: string
  let handlerId: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gangwan-console-browser-'))
    // The fixture community with a 3 s accept limit for a confirmed fire, so it escalates while on screen.
    const community = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>
    community.dispatch = { sla: [{ categories: ['fire'], severities: ['P1'], acceptS: 3, arriveS: 600, resolveS: 3600 }, { acceptS: 3600, arriveS: 3600, resolveS: 86_400 }] }
    const communityFile = join(dir, 'community.json')
    await writeFile(communityFile, JSON.stringify(community))
    // One after the other, so that afterAll closes whichever started if the other fails.
    hub = await startHubProcess({
      GANGWAN_DATA_DIR: join(dir, 'data'), GANGWAN_COMMUNITY: communityFile, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: String(await freePort()),
      GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: inject('influxUrl'), GANGWAN_INFLUX_DB: uniqueDb('console_browser')
    })
    browser = await launchChromium()
    passwords = JSON.parse(await readFile(hub.info.operatorsFile, 'utf8')) as Record<string, string>
    await mkdir(SHOTS, { recursive: true })
  })

  afterAll(async () => {
    for (const c of contexts) await c.close()
    await browser?.close()
    await hub?.kill()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  /** A fresh browser profile (its own cookies and localStorage) at 1600×900, opened on the console. */
  async function newPage (): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    contexts.push(context)
    context.setDefaultTimeout(20_000)
    const page = await context.newPage()
    page.on('pageerror', (err) => { pageErrors.push(`pageerror: ${err.message}`) })
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`) })
    await page.goto(`${hub.info.httpUrl}/`)
    return page
  }

  async function logIn (page: Page, username: string, shot?: string): Promise<void> {
    await page.getByTestId('login-username').fill(username)
    await page.getByTestId('login-password').fill(passwords[username]!)
    if (shot !== undefined) await screenshot(page, shot)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('page-queue').waitFor()
    expect(await page.getByTestId('current-user').getAttribute('data-role')).toBe(username === 'operator' ? 'operator' : 'handler')
  }

  /**
   * docs/screenshots/<name>.png: the whole page at 1600 px wide (a page that scrolls inside the
   * layout is unrolled for the picture, see {@link pageScrolls}), once its charts stand still.
   */
  async function screenshot (page: Page, name: string): Promise<void> {
    const unroll = await page.evaluate(pageScrolls) ? await page.addStyleTag({ content: UNROLL_CSS }) : undefined
    if (await page.locator('canvas').count() > 0) await page.waitForFunction(canvasesStill, undefined, { polling: 'raf' })
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' })
    await unroll?.evaluate((style) => { (style as unknown as { remove: () => void }).remove() })
  }

  /** The incident's status as the summary on the page shows it, once it is `status`. */
  async function statusShown (page: Page, status: string): Promise<void> {
    await page.locator(`[data-testid="incident-summary"][data-incident="${incidentId}"] .status[data-status="${status}"]`).waitFor()
  }

  /** An action offered by the page's action bar, ready to take (the bar not busy with another). */
  async function offered (page: Page, action: string): Promise<void> {
    await page.locator(`[data-testid="action-bar"][data-busy="false"] [data-testid="action-${action}"]`).waitFor()
  }

  it('logs the operator in, and a fire published over MQTT appears in the queue without a reload', async () => {
    operator = await newPage()
    await logIn(operator, 'operator', 'login')
    await operator.getByTestId('queue-empty').waitFor()
    await operator.locator('[data-testid="live-status"][data-state="open"]').waitFor()
    // A mark on this very document: if the page reloaded, it would be gone.
    await operator.evaluate(() => { (globalThis as unknown as BrowserGlobals).gangwanMarker = 'before the fire' })

    const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    const gw = await connectClient(hub.info.mqttPort, 'GW-B01', secrets['GW-B01']!)
    await publishTwoDetectorFire(gw, Date.now() - 10 * 60_000)
    gw.end(true)

    const row = operator.locator('[data-testid^="queue-row-"][data-severity="P1"]')
    await row.waitFor()
    incidentId = (await row.getAttribute('data-testid'))!.slice('queue-row-'.length)
    expect(incidentId).toMatch(/^INC-/)
    expect(await operator.evaluate(() => (globalThis as unknown as BrowserGlobals).gangwanMarker)).toBe('before the fire')
    expect(await row.textContent()).toContain(zhCN.category.fire)

    await row.click()
    await operator.locator(`[data-testid="incident-summary"][data-incident="${incidentId}"]`).waitFor()
    await operator.locator('[data-testid="action-bar"] button').first().waitFor()
    const detail = await operator.context().request.get(`${hub.info.apiUrl}/incidents/${incidentId}`)
    expect(detail.status()).toBe(200)
    handlerId = ((await detail.json()) as { incident: { handler: string } }).incident.handler
    expect(['FIRE-H1', 'FIRE-H2']).toContain(handlerId)
    await screenshot(operator, 'queue')
  })

  it('switches the language from zh-CN to English and back', async () => {
    const nav = operator.getByTestId('nav-queue')
    expect(await nav.textContent()).toBe(zhCN.nav.queue)
    await operator.getByTestId('lang-switch').click()
    await operator.locator('[data-testid="nav-queue"]', { hasText: en.nav.queue }).waitFor()
    expect(await operator.locator('html').getAttribute('lang')).toBe('en')
    expect(await operator.locator(`[data-testid="queue-row-${incidentId}"]`).textContent()).toContain(en.category.fire)
    await screenshot(operator, 'queue-en')
    await operator.getByTestId('lang-switch').click()
    await operator.locator('[data-testid="nav-queue"]', { hasText: zhCN.nav.queue }).waitFor()
    expect(await operator.locator('html').getAttribute('lang')).toBe('zh-CN')
  })

  it('shows the fire on the map, on its building and floor, with the devices that raised it', async () => {
    await operator.getByTestId('nav-map').click()
    await operator.locator('[data-testid="map-marker-B01"][data-severity="P1"]').waitFor()
    await operator.getByTestId('map-building-B01').click()
    await operator.locator('[data-testid="building-panel"][data-building="B01"]').waitFor()
    const floor = operator.locator('[data-testid="building-floor-12"].has-incident')
    await floor.getByTestId('building-device-B01-F12-S01').waitFor()
    await floor.getByTestId('building-device-B01-F12-S02').waitFor()
    await operator.getByTestId(`building-incident-${incidentId}`).waitFor()
    await screenshot(operator, 'map')
  })

  it('the handler accepts (keyboard), arrives and resolves with feedback; the operator watches it escalate and change live', async () => {
    // The operator keeps the incident open: every change below must reach this page by itself.
    await operator.getByTestId('nav-queue').click()
    await operator.getByTestId(`queue-row-${incidentId}`).dblclick()
    await operator.locator(`[data-testid="page-incident"][data-incident="${incidentId}"]`).waitFor()
    // Nobody accepted within 3 s: the SLA escalated it (the timeline on screen shows it).
    await operator.locator('[data-testid="incident-timeline"] [data-event="escalated"]').first().waitFor()
    await operator.evaluate(() => { (globalThis as unknown as BrowserGlobals).gangwanMarker = 'watching' })

    const handler = await newPage()
    await logIn(handler, handlerId)
    await handler.getByTestId(`queue-row-${incidentId}`).click()
    await acceptByKeyboard(handler)

    // Enter opens the selected incident; h = arrive (keyboard), then resolve through its dialog.
    await handler.keyboard.press('Enter')
    await handler.locator(`[data-testid="page-incident"][data-incident="${incidentId}"]`).waitFor()
    await offered(handler, 'arrive')
    await handler.keyboard.press('h')
    await statusShown(handler, 'handling')
    await offered(handler, 'resolve')
    await handler.getByTestId('action-resolve').click()
    await handler.getByTestId('dialog-resolve').waitFor()
    await handler.getByTestId('feedback-note').fill('kitchen fire put out with an extinguisher')
    await handler.getByTestId('feedback-evidence').fill('clip://B01-F12/1')
    await handler.getByTestId('feedback-submit').click()
    await statusShown(handler, 'resolved')
    // A handler may not verify their own work: the console does not offer it.
    await handler.locator('[data-testid="action-bar"][data-busy="false"]').waitFor()
    expect(await handler.getByTestId('action-verify').count()).toBe(0)

    await statusShown(operator, 'resolved')
    expect(await operator.evaluate(() => (globalThis as unknown as BrowserGlobals).gangwanMarker)).toBe('watching')
    expect(await operator.getByTestId('fact-feedback').textContent()).toContain('kitchen fire put out with an extinguisher')
  })

  it('the operator verifies (keyboard) and closes it; the detail shows the whole closed loop', async () => {
    await offered(operator, 'verify')
    await operator.keyboard.press('v')
    await statusShown(operator, 'verified')
    await offered(operator, 'close')
    await operator.keyboard.press('c')
    await operator.getByTestId('dialog-close-incident').waitFor()
    await operator.getByTestId('close-satisfied-yes').check()
    await operator.getByTestId('close-submit').click()
    await statusShown(operator, 'closed')
    await operator.getByTestId('no-actions').waitFor()

    // Loaded afresh, so the telemetry chart reads what InfluxDB holds now.
    await operator.reload()
    await statusShown(operator, 'closed')
    const timeline = operator.getByTestId('incident-timeline')
    await timeline.locator('[data-event="close"]').waitFor()
    const events = await timeline.locator('[data-event]').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { event: string } }).dataset.event))
    expect(events).toEqual(expect.arrayContaining(['created', 'dispatch', 'escalated', 'accept', 'arrive', 'resolve', 'verify', 'close']))
    expect(await operator.getByTestId('fact-satisfied').textContent()).toContain(zhCN.dialog.satisfiedYes)
    await operator.getByTestId('alert-explanation-0').waitFor()
    expect(await operator.getByTestId('incident-why').textContent()).toContain('fire.confirmed')
    // The chart itself (ECharts loads lazily; until then a placeholder carries the same test id).
    await operator.locator('[data-testid="telemetry-chart"][data-chart-ready] canvas').waitFor()
    await screenshot(operator, 'incident')
  })

  it('the statistics page counts the closed incident', async () => {
    await operator.getByTestId('nav-stats').click()
    const kpi = (k: string) => operator.locator(`[data-testid="stats-kpi-${k}"] .kpi-value`)
    await operator.getByTestId('stats-kpis').waitFor()
    expect(await kpi('incidents').textContent()).toBe('1')
    expect(await kpi('closureRate').textContent()).toBe('100 %')
    expect(await kpi('satisfactionRate').textContent()).toBe('100 %')
    expect(await kpi('acceptanceRate').textContent()).toBe('100 %')
    // 响应率 counts acceptances in time: this one came after the SLA escalated it.
    expect(await kpi('responseRate').textContent()).toBe('0 %')
    for (const chart of ['category', 'grid', 'department', 'period', 'times']) await operator.locator(`[data-testid="stats-chart-${chart}"][data-chart-ready] canvas`).waitFor()
    await screenshot(operator, 'statistics')
  })

  it('lists the device registry with the detectors\' status as the API reports it, and no page threw or logged an error', async () => {
    // The hub reads device status from InfluxDB at most every 10 s: wait until its answer has the detectors' reports.
    const statusOf = async (id: string): Promise<string | undefined> => {
      const r = await operator.context().request.get(`${hub.info.apiUrl}/devices?building=B01&kind=fire`)
      return ((await r.json()) as { items: Array<{ id: string, status: string }> }).items.find((d) => d.id === id)?.status
    }
    await expect.poll(async () => await statusOf('B01-F12-S01'), { timeout: 30_000, interval: 250 }).toMatch(/^(online|offline)$/)
    const status = (await statusOf('B01-F12-S01'))!
    await operator.getByTestId('nav-devices').click()
    await operator.locator(`[data-testid="device-row-B01-F12-S01"][data-status="${status}"]`).waitFor()
    await operator.getByTestId('device-row-B01-F12-S02').waitFor()
    expect(Number(await operator.getByTestId('devices-count').getAttribute('data-total'))).toBeGreaterThan(2)
    await screenshot(operator, 'devices')
    expect(pageErrors).toEqual([])
  })

  /**
   * Presses `a` on the queue's selected incident until it is accepted. The SLA escalates the
   * unaccepted incident every 3 s (a new version each time), so an accept sent with the version
   * on screen can lose the race; the console then says so and refreshes (409
   * GW_ERR_DISPATCH_STALE), and the handler presses again, as a person would.
   */
  async function acceptByKeyboard (p: Page): Promise<void> {
    const accepted = p.locator(`[data-testid="queue-row-${incidentId}"][data-status="accepted"]`)
    const errors = p.locator('[data-testid="toast"][data-kind="error"]')
    for (let attempts = 1; ; attempts++) {
      await offered(p, 'accept')
      const before = await errors.count()
      await p.keyboard.press('a')
      await accepted.or(errors.nth(before)).first().waitFor()
      if (await accepted.count() === 1) return
      expect(await errors.nth(before).textContent()).toBe(zhCN.error.stale)
      if (attempts === 5) throw new Error('accept lost to the SLA escalation five times in a row')
    }
  }
})
