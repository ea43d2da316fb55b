import { parseArgs } from 'node:util'
import pino from 'pino'
import { createEdgeAgent } from './app.ts'
import { loadEdgeConfig } from './config.ts'

const USAGE = 'usage: gangwan-edge --config FILE   (see edge-agent/README.md)'

/**
 * `gangwan-edge --config FILE`: the only place that reads arguments, handles signals and exits.
 * Prints `GANGWAN_EDGE_READY {json}` on standard output once the agent runs.
 */
async function main (): Promise<void> {
  let file: string | undefined
  try {
    const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } })
    if (values.help === true) { process.stdout.write(USAGE + '\n'); return }
    file = values.config
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`)
    process.exit(2)
  }
  if (file === undefined) { process.stderr.write(USAGE + '\n'); process.exit(2) }
  let config
  try {
    config = loadEdgeConfig(file)
  } catch (err) {
    process.stderr.write(`GW_ERR_CONFIG_INVALID ${(err as Error).message}\n`)
    process.exit(2)
  }
  const log = pino({ level: config.logLevel, base: { service: 'edge-agent', gatewayId: config.gatewayId }, redact: ['uplink.password', 'password'] })
  const agent = createEdgeAgent(config, log)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    agent.stop().then(() => { process.exit(0) }, (err: unknown) => { log.fatal({ err }, 'stop failed'); process.exit(1) })
  }
  process.on('SIGTERM', () => { stop('SIGTERM') })
  process.on('SIGINT', () => { stop('SIGINT') })
  process.on('uncaughtException', (err) => { log.fatal({ err }, 'uncaught exception'); process.exit(1) })
  try {
    const ready = await agent.start()
    process.stdout.write(`GANGWAN_EDGE_READY ${JSON.stringify(ready)}\n`)
  } catch (err) {
    log.fatal({ err }, 'edge agent could not start')
    process.exit(1)
  }
}

main().catch((err: unknown) => { process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`); process.exit(1) })
