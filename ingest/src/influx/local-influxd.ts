import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import { GangwanError } from '@gangwan/contracts'
import { freePort } from './free-port.ts'

/** Options for {@link createLocalInfluxd}. */
export interface LocalInfluxdOptions {
  /** Folder holding the server's meta, data and WAL directories and its config file. */
  dataDir: string
  log: Logger
  /** HTTP port; a free one when omitted. */
  port?: number
  /** Restart the server when it exits unexpectedly (the hub's supervision). Default true. */
  restart?: boolean
  /** Path of the influxd binary. Default: `influxd` on PATH, then /usr/bin/influxd. */
  binary?: string
}

/** A supervised local influxd. */
export interface LocalInfluxd {
  /** Base URL of the v1 HTTP API, e.g. `http://127.0.0.1:41233`. */
  readonly url: string
  /** Process id of the running server (changes after a restart). */
  readonly pid: number | undefined
  /** Starts the server and waits until `/ping` answers. */
  start: () => Promise<void>
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and stops supervising it. */
  stop: () => Promise<void>
}

/** Go's garbage-collection target for the supervised server (README "InfluxDB"). */
const INFLUXD_GOGC = 200

function findBinary (explicit?: string): string {
  if (explicit) return explicit
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin'])) {
    if (dir && existsSync(join(dir, 'influxd'))) return join(dir, 'influxd')
  }
  throw new GangwanError('GW_ERR_INFLUXD_MISSING', 'influxd is not installed: run `npm start` as root to install Debian\'s influxdb package, or `apt-get install influxdb`, or set GANGWAN_INFLUX_URL to an existing server')
}

/** Waits until `GET {url}/ping` answers 204, or throws after `timeoutMs`. */
export async function waitForInflux (url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })
      if (res.status === 204) return
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new GangwanError('GW_ERR_INFLUX_UNAVAILABLE', `InfluxDB at ${url} did not answer /ping within ${timeoutMs} ms`)
    await sleep(100)
  }
}

/**
 * Runs Debian's `influxd` (1.x) on loopback with its data under `dataDir`, on free ports (HTTP and
 * the RPC bind address, whose default 8088 may be taken by a system instance). While supervising, an
 * unexpected exit is logged and the server restarted with a back-off of up to 10 s.
 */
export function createLocalInfluxd (opts: LocalInfluxdOptions): LocalInfluxd {
  const binary = findBinary(opts.binary)
  const log = opts.log.child({ component: 'influxd' })
  let port = opts.port ?? 0
  let child: ChildProcess | undefined
  let stopping = false
  let restarts = 0

  async function writeConfig (): Promise<string> {
    await mkdir(opts.dataDir, { recursive: true })
    if (port === 0) port = await freePort()
    const rpcPort = await freePort()
    const file = join(opts.dataDir, 'influxd.conf')
    await writeFile(file, [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]', `  dir = "${join(opts.dataDir, 'meta')}"`, '  logging-enabled = false',
      '[data]', `  dir = "${join(opts.dataDir, 'data')}"`, `  wal-dir = "${join(opts.dataDir, 'wal')}"`,
      '  query-log-enabled = false', '  wal-fsync-delay = "0s"',
      // A larger write cache before it is snapshotted to TSM files (default 25 MB) means fewer
      // snapshots and compactions under sustained ingest: +15-18 % stored msg/s in alternating
      // bench:ingest runs. Durability is unchanged: the WAL is still fsynced on every write.
      '  cache-snapshot-memory-size = "256m"', '  cache-max-memory-size = "2g"',
      '[monitor]', '  store-enabled = false',
      '[http]', '  enabled = true', `  bind-address = "127.0.0.1:${port}"`, '  log-enabled = false',
      '  pprof-enabled = false',
      '[continuous_queries]', '  enabled = false', ''
    ].join('\n'))
    return file
  }

  const pidFile = join(opts.dataDir, 'influxd.pid')

  // A hub killed with SIGKILL cannot stop its influxd, which then keeps the data folder locked.
  // The pid file lets the next start find that orphan and stop it first.
  async function stopOrphan (): Promise<void> {
    const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''))
    if (!Number.isInteger(pid) || pid <= 0) return
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (!cmdline.includes('influxd') || !cmdline.includes(opts.dataDir)) return
    log.warn({ pid }, 'stopping an influxd left running by an earlier hub')
    process.kill(pid, 'SIGTERM')
    for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await sleep(100)
    if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL')
  }

  function spawnServer (config: string): void {
    // Own process group: a Ctrl-C in the hub's terminal must not stop the server behind the
    // hub's back; the hub stops it itself, after the last journal flush.
    // GOGC=200 (Go's default is 100): measured on this project's write load, 12.5 -> 9.3-10.4 µs of
    // influxd CPU per point with the same peak RSS (~300 MB); an explicit GOGC in the environment wins.
    const env = { ...process.env, GOGC: process.env.GOGC ?? String(INFLUXD_GOGC) }
    const proc = spawn(binary, ['run', '-config', config], { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env })
    child = proc
    if (proc.pid !== undefined) void writeFile(pidFile, String(proc.pid)).catch(() => {})
    let tail = ''
    proc.stderr?.on('data', (b: Buffer) => { tail = (tail + b.toString()).slice(-2000) })
    proc.once('exit', (code, signal) => {
      if (child === proc) child = undefined
      if (stopping || opts.restart === false) return
      restarts++
      const delay = Math.min(10_000, 250 * 2 ** Math.min(restarts, 6))
      log.error({ code, signal, delay, stderr: tail.split('\n').slice(-5).join('\n') }, 'influxd exited; restarting')
      setTimeout(() => { if (!stopping) spawnServer(config) }, delay).unref()
    })
  }

  return {
    get url () { return `http://127.0.0.1:${port}` },
    get pid () { return child?.pid },
    async start () {
      stopping = false
      await mkdir(opts.dataDir, { recursive: true })
      await stopOrphan()
      const config = await writeConfig()
      spawnServer(config)
      await waitForInflux(`http://127.0.0.1:${port}`)
      log.info({ url: `http://127.0.0.1:${port}`, dataDir: opts.dataDir }, 'influxd started')
    },
    async stop () {
      stopping = true
      const proc = child
      if (!proc || proc.exitCode !== null) return
      const exited = new Promise<void>((resolve) => proc.once('exit', () => { resolve() }))
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
  }
}
