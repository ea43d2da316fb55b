/**
 * V8 flags the agent runs with (bench:edge, docs/edge-agent.md "Memory"):
 * - a 1 MiB young generation (default 16 MiB) and a 64 MiB old generation. The agent's live heap
 *   is a few MiB; without a cap V8 lets garbage grow the heap (and RSS) to ~200 MB during a replay
 *   before collecting. A heap that did outgrow the cap would crash the process, which the spool
 *   survives and systemd restarts;
 * - no optimising compilers (`--no-opt --no-maglev`): the interpreter and the baseline compiler
 *   keep up (replay ran faster than 10,000 readings/s either way; the work is in sockets and
 *   SQLite), and the optimisers' own code pages in the Node binary (~7 MB of RSS) and their
 *   compiled code stay out of memory.
 * `bin/gangwan-edge.mjs` carries the same flags on its first line (a test compares them).
 */
export const EDGE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--max-old-space-size=64', '--no-opt', '--no-maglev']
