/**
 * How the agent's Node process is started (bench:edge, docs/edge-agent.md "Memory"). V8 flags:
 * - a 1 MiB young generation (default 16 MiB) and a 64 MiB old generation. The agent's live heap
 *   is a few MiB; without a cap V8 lets garbage grow the heap (and RSS) to ~200 MB during a replay
 *   before collecting. A heap that did outgrow the cap would crash the process, which the spool
 *   survives and systemd restarts;
 * - no compilers (`--no-opt --no-maglev --no-sparkplug`): the bytecode interpreter keeps up (a
 *   replay still runs at ~17,000 readings/s; the work is in sockets and SQLite), and the
 *   compilers' code pages in the Node binary (~7 MB of RSS) and their output stay out of memory;
 * - `--optimize-for-size`, and bytecode of functions not run since the last garbage collection is
 *   dropped (`--bytecode-old-age=1`: start-up code such as the config schema does not stay).
 */
export const EDGE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--max-old-space-size=64', '--no-opt', '--no-maglev', '--optimize-for-size', '--bytecode-old-age=1', '--no-sparkplug']

/**
 * glibc's allocator, told to keep one arena and give freed memory back to the system above 64 KiB
 * instead of holding it for reuse: ~4 MB less at steady state.
 */
export const EDGE_ENV: Readonly<Record<string, string>> = {
  GLIBC_TUNABLES: 'glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=65536:glibc.malloc.top_pad=0'
}

/** The first line of `bin/gangwan-edge.mjs`, which gives the agent all of the above when it is run directly (a test compares them). */
export const EDGE_SHEBANG = `#!/usr/bin/env -S ${Object.entries(EDGE_ENV).map(([k, v]) => `${k}=${v}`).join(' ')} node ${EDGE_NODE_FLAGS.join(' ')}`

/**
 * How to start the agent as a child of this Node (`spawn(process.execPath, args, { env })`), as
 * the bin's first line or the systemd unit would: its V8 flags, then `env` with the agent's own
 * environment over it.
 */
export function edgeCommand (bin: string, configFile: string, env: NodeJS.ProcessEnv = process.env): { args: string[], env: NodeJS.ProcessEnv } {
  return { args: [...EDGE_NODE_FLAGS, bin, '--config', configFile], env: { ...env, ...EDGE_ENV } }
}
