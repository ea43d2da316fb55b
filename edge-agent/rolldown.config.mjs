import { defineConfig } from 'rolldown'

// One minified file: the agent starts in less memory than from TypeScript sources and a gateway
// needs only Node 24 and this file (docs/edge-agent.md, "Memory").
export default defineConfig({
  input: 'src/main.ts',
  platform: 'node',
  // modbus-serial's serial-port transports are optional and unused (Modbus TCP only).
  external: [/^serialport$/, /^@serialport\//],
  output: { file: 'dist/gangwan-edge.mjs', format: 'esm', minify: true, sourcemap: false }
})
