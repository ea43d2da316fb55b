import pino from 'pino'
import { GangwanError } from '@gangwan/contracts'
import { loadHubConfig } from './config.ts'
import { createHub } from './app.ts'

// The hub process: the only file that reads the environment, handles signals or exits.
const log = pino({ level: process.env.GANGWAN_LOG_LEVEL ?? 'info', base: { service: 'hub' } })

async function main (): Promise<void> {
  const config = loadHubConfig(process.env)
  const hub = createHub(config, { log })
  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    hub.stop().then(() => { process.exit(0) }, (err: unknown) => {
      log.error({ err }, 'stop failed')
      process.exit(1)
    })
  }
  process.on('SIGINT', () => { shutdown('SIGINT') })
  process.on('SIGTERM', () => { shutdown('SIGTERM') })
  let info
  try {
    info = await hub.start()
  } catch (err) {
    // e.g. an unusable TLS key found when the broker starts: undo what did start (a local influxd
    // child, worker threads) before exiting with the coded error.
    if (!stopping) {
      stopping = true
      await hub.stop().catch((stopErr: unknown) => { log.error({ err: stopErr }, 'stop after a failed start failed') })
    }
    throw err
  }
  log.info(info, 'hub ready')
  // One machine-readable line on stdout for launchers and tests.
  process.stdout.write(`GANGWAN_READY ${JSON.stringify(info)}\n`)
}

main().catch((err: unknown) => {
  if (err instanceof GangwanError) log.fatal({ code: err.code }, err.message)
  else log.fatal({ err }, 'hub failed to start')
  process.exit(1)
})
