import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real Mosquitto broker on a free loopback port. */
export interface Mosquitto { url: string; port: number; stop: () => Promise<void> }

/** A TCP port nothing listens on right now. */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    }).on('error', reject)
  })
}

async function accepts (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' }, () => { c.destroy(); resolve(true) }).on('error', () => resolve(false))
  })
}

/** Starts `/usr/sbin/mosquitto` with extra config lines (e.g. `allow_anonymous true`) and waits until it listens. */
export async function startMosquitto (config: string[] = ['allow_anonymous true']): Promise<Mosquitto> {
  if (!existsSync('/usr/sbin/mosquitto')) throw new Error('/usr/sbin/mosquitto is missing: install Debian\'s mosquitto package (apt-get install mosquitto)')
  const dir = await mkdtemp(join(tmpdir(), 'gangwan-mosquitto-'))
  const port = await freePort()
  await writeFile(join(dir, 'mosquitto.conf'), [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest none', ...config, ''].join('\n'))
  const child = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const deadline = Date.now() + 10_000
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start on port ${port}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
      await rm(dir, { recursive: true, force: true })
    }
  }
}
