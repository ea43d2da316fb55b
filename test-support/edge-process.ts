import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { EdgeReady } from '../edge-agent/src/app.ts'
import { edgeCommand } from '../edge-agent/src/node-flags.ts'
import { spawnUntilReady, type ReadyProcess } from './ready-process.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** The installed command, as a gateway runs it: `gangwan-edge --config FILE` (the bundled agent). */
export const EDGE_BIN = fileURLToPath(new URL('../edge-agent/bin/gangwan-edge.mjs', import.meta.url))

/** An edge agent running as its own OS process; `kill()` is SIGKILL (a power cut, as far as the process can tell). */
export type EdgeProcess = ReadyProcess<EdgeReady>

/** Writes `config` to `configFile`, starts `gangwan-edge --config configFile` (with its V8 flags and environment over this process's, as its first line or the systemd unit gives them) and waits for its ready line. */
export async function startEdgeProcess (configFile: string, config: unknown, opts: { timeoutMs?: number, bin?: string, cwd?: string } = {}): Promise<EdgeProcess> {
  writeFileSync(configFile, JSON.stringify(config, null, 2))
  const agent = edgeCommand(opts.bin ?? EDGE_BIN, configFile)
  return await spawnUntilReady<EdgeReady>(agent.args, {
    cwd: opts.cwd ?? ROOT, env: agent.env, prefix: 'GANGWAN_EDGE_READY', timeoutMs: opts.timeoutMs ?? 30_000, what: 'edge agent'
  })
}
