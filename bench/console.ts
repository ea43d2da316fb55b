// npm run bench:console [-- --incidents 10000 --runs 5 --scroll-s 3 --read-px-s 1500 --fires 3]
// The operator console in Chromium against a real hub process whose dispatch store holds
// `--incidents` open incidents (real rows, put through the real service before the hub starts):
// login, cold loads of the queue by a logged-in session, the queue API's size and server time, the
// DOM rows of the virtualised list, frame times while scrolling it end to end, and how long a fire
// published over MQTT takes to show in the queue. Human lines, then one JSON object as the last line.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { MqttClient } from 'mqtt'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../test-support/chromium.ts'
import { CommunitySchema, topics, type Community, type FireTelemetry } from '@gangwan/contracts'
import { startHubProcess, type HubProcess } from '../test-support/hub-process.ts'
import { connectClient, publishAcked } from '../test-support/mqtt-client.ts'
import { domCounts, incidentRequests, installProbe, readMarks, scrollQueue, watchFor, type PageMarks } from './lib/console-probes.ts'
import { seedOpenIncidents } from './lib/seed-open-incidents.ts'

const { values } = parseArgs({ options: {
  incidents: { type: 'string', default: '10000' },
  runs: { type: 'string', default: '5' },
  'scroll-s': { type: 'string', default: '3' },
  fires: { type: 'string', default: '3' },
  'read-px-s': { type: 'string', default: '1500' }
} })
const INCIDENTS = Number(values.incidents)
const RUNS = Number(values.runs)
const SCROLL_MS = Number(values['scroll-s']) * 1000
const FIRES = Number(values.fires)
const READ_PX_S = Number(values['read-px-s'])
const TARGET_MS = 2000
const ROOT = new URL('../', import.meta.url).pathname
const COMMUNITY_FILE = join(ROOT, 'communities/huaguoyuan.json')
const VIEWPORT = { width: 1920, height: 1080 }
interface ScrollResult { durationMs: number, scrollPx: number, frames: number, p50Ms: number, p95Ms: number, maxMs: number, over50Ms: number, maxDomRows: number, reachedEnd: boolean }
const say = (msg: string): void => { process.stderr.write(`[bench:console] ${msg}\n`) }
const show = (msg: string): void => { process.stdout.write(`${msg}\n`) }
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}
const stats = (xs: number[]): { p50: number, max: number } => ({ p50: round(quantile(xs, 0.5)), max: round(Math.max(...xs)) })

/** A fresh browser profile (empty HTTP cache, cache disabled too) on the console, with the probe installed. */
async function openConsole (browser: Browser, url: string, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...(storageState !== undefined ? { storageState } : {}) })
  context.setDefaultTimeout(60_000)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await page.addInitScript(installProbe, INCIDENTS)
  await page.goto(url)
  return { context, page }
}

async function allLoaded (page: Page): Promise<void> {
  await page.waitForFunction(() => { const m = (globalThis as unknown as { gangwanBench?: { allLoaded: number } }).gangwanBench; return m !== undefined && m.allLoaded >= 0 }, undefined, { timeout: 120_000 })
}

/** Per zone of a fire: a building's smoke (or multi-sensor) detector and manual call point, one zone per building. */
function fireZones (community: Community, n: number): Array<{ gateway: string, detector: string, callPoint: string }> {
  const out: Array<{ gateway: string, detector: string, callPoint: string }> = []
  for (const b of community.buildings) {
    const fire = community.devices.filter((d) => d.building === b.id && d.kind === 'fire' && d.gateway !== undefined)
    for (const det of fire) {
      if (det.kind !== 'fire' || (det.detector !== 'smoke' && det.detector !== 'multi')) continue
      const call = fire.find((d) => d.kind === 'fire' && d.zone === det.zone && d.detector === 'manual_call_point')
      if (call !== undefined) { out.push({ gateway: det.gateway!, detector: det.id, callPoint: call.id }); break }
    }
    if (out.length === n) return out
  }
  throw new Error(`the community has fewer than ${n} buildings with a detector and a manual call point in one zone`)
}

const dir = await mkdtemp(join(tmpdir(), 'gangwan-bench-console-'))
const raw = JSON.parse(await readFile(COMMUNITY_FILE, 'utf8')) as Record<string, unknown>
const community = CommunitySchema.parse(raw)
let hub: HubProcess | undefined
let browser: Browser | undefined
try {
  const dataDir = join(dir, 'hub')
  await mkdir(dataDir, { recursive: true })
  say(`seeding ${INCIDENTS} open incidents into ${dataDir}/dispatch.db...`)
  const seed = await seedOpenIncidents({ raw, dbPath: join(dataDir, 'dispatch.db'), incidents: INCIDENTS, endAt: Date.now() - 3600_000 })
  say(`seeded ${seed.open} open incidents from ${seed.alerts} alerts in ${round(seed.seconds)} s: ${JSON.stringify(seed.bySeverity)}`)
  hub = await startHubProcess({
    GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: COMMUNITY_FILE, GANGWAN_MQTT_HOST: '127.0.0.1',
    GANGWAN_MQTT_PORT: '0', GANGWAN_HTTP_PORT: '0', GANGWAN_LOG_LEVEL: 'warn'
  }, 300_000)
  const url = `${hub.info.httpUrl}/`
  const passwords = JSON.parse(await readFile(hub.info.operatorsFile, 'utf8')) as Record<string, string>
  browser = await launchChromium()
  say(`hub pid ${hub.child.pid} at ${hub.info.httpUrl}; Chromium ${browser.version()}`)

  // 1. The login page, logging in, and the queue filling: the first thing an operator does.
  const first = await openConsole(browser, url)
  await first.page.getByTestId('login-username').fill('operator')
  await first.page.getByTestId('login-password').fill(passwords.operator!)
  await first.page.getByTestId('login-submit').click()
  await allLoaded(first.page)
  const lm = await first.page.evaluate(readMarks)
  const login = { loginFormMs: round(lm.loginForm), submitToFirstRowMs: round(lm.firstRow - lm.submit), submitToAllLoadedMs: round(lm.allLoaded - lm.submit) }
  show(`login: form shown ${login.loginFormMs} ms after navigation; submit → first rows ${login.submitToFirstRowMs} ms, → all ${INCIDENTS} loaded ${login.submitToAllLoadedMs} ms`)
  const state = await first.context.storageState()
  await first.context.close()

  // 2. Cold loads by a logged-in session: a fresh profile with the session cookie, nothing cached.
  const runs: Array<{ firstRowMs: number, allLoadedMs: number, firstScreenIsTop: boolean, longTaskMs: number, longestTaskMs: number, requests: number, bytes: number, ttfbMs: number[] }> = []
  let last: { context: BrowserContext, page: Page } | undefined
  for (let r = 0; r < RUNS; r++) {
    await last?.context.close()
    last = await openConsole(browser, url, state)
    await allLoaded(last.page)
    const m = await last.page.evaluate(readMarks)
    const reqs = await last.page.evaluate(incidentRequests)
    const run = {
      firstRowMs: round(m.firstRow), allLoadedMs: round(m.allLoaded),
      // The first rows painted are the top of the whole queue (no later page put anything above them).
      firstScreenIsTop: m.firstScreen.length > 0 && m.firstScreen.every((id, i) => m.loadedScreen[i] === id),
      longTaskMs: round(m.longTasks.filter((t) => t.start < m.allLoaded).reduce((a, t) => a + t.duration, 0)),
      longestTaskMs: round(Math.max(0, ...m.longTasks.map((t) => t.duration))),
      requests: reqs.length, bytes: reqs.reduce((a, q) => a + q.bytes, 0), ttfbMs: reqs.map((q) => round(q.ttfbMs))
    }
    runs.push(run)
    show(`cold load ${r + 1}: first rows ${run.firstRowMs} ms (the queue's real top: ${run.firstScreenIsTop}), all ${INCIDENTS} loaded ${run.allLoadedMs} ms; ${run.requests} list requests, ${round(run.bytes / 1e6, 2)} MB, server time ${run.ttfbMs.join('/')} ms; long tasks ${run.longTaskMs} ms (longest ${run.longestTaskMs})`)
  }
  const page = last!.page
  const dom = await page.evaluate(domCounts)
  show(`DOM: ${dom.rows} queue rows of ${INCIDENTS} (${dom.elements} elements in the page)`)

  // 3. The list API on its own, from Node, 20 times each: the console's first request (the top of
  // the queue in its own order, the queue's fields only), one of its later pages, and for comparison
  // a page of 1,000 whole incidents by creation time (what the console read before).
  const token = ((await (await fetch(`${hub.info.apiUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: passwords.operator }) })).json()) as { token: string }).token
  const timeList = async (query: string): Promise<{ query: string, items: number, bytes: number, bytesPerIncident: number, p50: number, max: number }> => {
    const times: number[] = []
    let bytes = 0
    let items = 0
    for (let i = 0; i < 20; i++) {
      const started = performance.now()
      const res = await fetch(`${hub!.info.apiUrl}/incidents?${query}`, { headers: { authorization: `Bearer ${token}` } })
      const body = await res.text()
      times.push(performance.now() - started)
      bytes = Buffer.byteLength(body)
      items = (JSON.parse(body) as { items: unknown[] }).items.length
    }
    return { query, items, bytes, bytesPerIncident: Math.round(bytes / Math.max(1, items)), ...stats(times) }
  }
  const api = {
    firstPage: await timeList('open=true&sort=queue&view=queue&limit=200'),
    queuePage: await timeList('open=true&sort=queue&view=queue&limit=1000&offset=4900'),
    fullPage: await timeList('open=true&sort=createdAt&order=asc&limit=1000&offset=0')
  }
  for (const [name, a] of Object.entries(api)) show(`API ${name}: ${a.query} = ${a.items} incidents, ${round(a.bytes / 1e3)} kB (${a.bytesPerIncident} B each), ${a.p50} ms p50, ${a.max} ms max (20 requests)`)

  // 4. Scrolling: the whole queue top to bottom in `--scroll-s` (every frame a new set of rows),
  // then at a reading pace (`--read-px-s`, a few rows a frame).
  const scrollRun = async (name: string, pxPerS?: number): Promise<ScrollResult> => {
    const sc = await page.evaluate(scrollQueue, { durationMs: SCROLL_MS, ...(pxPerS !== undefined ? { pxPerS } : {}) })
    const r = { durationMs: SCROLL_MS, scrollPx: sc.scrollPx, frames: sc.frames.length, p50Ms: round(quantile(sc.frames, 0.5)), p95Ms: round(quantile(sc.frames, 0.95)), maxMs: round(Math.max(...sc.frames)), over50Ms: sc.frames.filter((f) => f > 50).length, maxDomRows: sc.maxRows, reachedEnd: sc.bottom }
    show(`scroll ${name}: ${r.scrollPx} px in ${SCROLL_MS} ms, ${r.frames} frames, frame time p50 ${r.p50Ms} / p95 ${r.p95Ms} / max ${r.maxMs} ms, ${r.over50Ms} over 50 ms; at most ${r.maxDomRows} rows in the DOM${pxPerS === undefined ? `; end reached: ${sc.bottom} (${sc.lastRow})` : ''}`)
    return r
  }
  const scroll = { sweep: await scrollRun('top to bottom'), reading: await scrollRun(`at ${READ_PX_S} px/s`, READ_PX_S) }

  // 5. Live: fires published over MQTT (a smoke detector, then the zone's manual call point) with the queue open at the top.
  await page.evaluate(() => { (globalThis as unknown as { document: { querySelector: (s: string) => { scrollTop: number } } }).document.querySelector('[data-testid="queue-scroll"]').scrollTop = 0 })
  const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
  const live: Array<{ incident: string, publishToListedMs: number, publishToP1RowMs: number }> = []
  const gateways: MqttClient[] = []
  const liveMark = async (key: string): Promise<number> => {
    await page.waitForFunction((k) => (globalThis as unknown as { gangwanBench: PageMarks }).gangwanBench.live[k] !== undefined, key)
    return (await page.evaluate(readMarks)).live[key]!
  }
  try {
    for (const [k, z] of fireZones(community, FIRES).entries()) {
      const gw = await connectClient(hub.info.mqttPort, z.gateway, secrets[z.gateway]!)
      gateways.push(gw)
      const t0 = Date.now() - 100_000
      const msg = (seq: number, ts: number, extra: Partial<FireTelemetry>): string => JSON.stringify({ kind: 'fire', seq, ts, alarm: false, fault: false, tamper: false, batteryPct: 90, ...extra })
      await publishAcked(gw, topics.telemetry(z.gateway, z.detector), msg(1, t0, { smokeDbM: 0.01, temperatureC: 23 }))
      await publishAcked(gw, topics.telemetry(z.gateway, z.callPoint), msg(1, t0, { manualCall: false }))
      // The smoke alarm opens a P2 pre-alarm, which sorts below the fold: the queue's count shows it.
      const before = Number(await page.getByTestId('queue-count').getAttribute('data-total'))
      await page.evaluate(watchFor, { key: `listed-${k}`, total: before + 1 })
      const alarmAt = Date.now()
      await publishAcked(gw, topics.telemetry(z.gateway, z.detector), msg(2, t0 + 60_000, { smokeDbM: 0.3, temperatureC: 24, alarm: true }))
      const listed = await liveMark(`listed-${k}`)
      const newest = await (await fetch(`${hub.info.apiUrl}/incidents?open=true&sort=createdAt&order=desc&limit=1`, { headers: { authorization: `Bearer ${token}` } })).json() as { items: Array<{ id: string, devices: string[] }> }
      const incident = newest.items[0]!
      if (!incident.devices.includes(z.detector)) throw new Error(`the newest incident ${incident.id} is not the fire of ${z.detector}`)
      // The call point confirms the fire (P1, SLA 60 s): its row moves to the top of the queue.
      await page.evaluate(watchFor, { key: `p1-${k}`, selector: `[data-testid="queue-row-${incident.id}"][data-severity="P1"]` })
      const callAt = Date.now()
      await publishAcked(gw, topics.telemetry(z.gateway, z.callPoint), msg(2, t0 + 100_000, { manualCall: true, alarm: true }))
      const p1 = await liveMark(`p1-${k}`)
      live.push({ incident: incident.id, publishToListedMs: listed - alarmAt, publishToP1RowMs: p1 - callAt })
      show(`live ${k + 1}: smoke alarm → ${incident.id} in the console's queue ${listed - alarmAt} ms; call point → its confirmed P1 row at the top ${p1 - callAt} ms`)
    }
  } finally {
    for (const gw of gateways) await gw.endAsync()
  }

  const cold = { firstRowMs: stats(runs.map((r) => r.firstRowMs)), allLoadedMs: stats(runs.map((r) => r.allLoadedMs)), firstScreenIsTop: runs.every((r) => r.firstScreenIsTop) }
  show(`cold loads (${RUNS}): first rows p50 ${cold.firstRowMs.p50} / max ${cold.firstRowMs.max} ms; all loaded p50 ${cold.allLoadedMs.p50} / max ${cold.allLoadedMs.max} ms; target ${TARGET_MS} ms; first rows the queue's real top in every run: ${cold.firstScreenIsTop}`)
  process.stdout.write(JSON.stringify({
    benchmark: 'console', incidents: INCIDENTS, seeded: seed, viewport: VIEWPORT, chromium: browser.version(), login, cold, runs, dom, api, scroll,
    live: { fires: live.length, publishToListedMs: stats(live.map((l) => l.publishToListedMs)), publishToP1RowMs: stats(live.map((l) => l.publishToP1RowMs)), each: live },
    targetMs: TARGET_MS
  }) + '\n')
} finally {
  await browser?.close()
  await hub?.stop()
  await rm(dir, { recursive: true, force: true })
}
