#!/usr/bin/env -S node --max-semi-space-size=1 --max-old-space-size=64 --no-opt --no-maglev
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
