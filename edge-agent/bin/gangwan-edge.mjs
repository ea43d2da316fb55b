#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=65536:glibc.malloc.top_pad=0 node --max-semi-space-size=1 --max-old-space-size=64 --no-opt --no-maglev --optimize-for-size --bytecode-old-age=1 --no-sparkplug
// The agent runs from its bundle (npm run build -w edge-agent), not from TypeScript sources.
try {
  await import('../dist/gangwan-edge.cjs')
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('gangwan-edge.cjs')) {
    process.stderr.write('edge-agent/dist/gangwan-edge.cjs is missing: run `npm run build -w edge-agent` first\n')
    process.exit(1)
  }
  throw err
}
