import { defineConfig } from 'rolldown'

/**
 * Packages the agent's dependencies load but the agent never uses, replaced in the bundle by a
 * stand-in that fails loudly if it is ever called. Each one spared keeps Node builtins (and their
 * pages of the Node binary) out of the agent's memory (docs/edge-agent.md, "Memory"):
 * - `ws`: mqtt.js's WebSocket transport (the uplink is mqtt:// or mqtts://): https, zlib;
 * - `serialport`: modbus-serial's serial transports (Modbus TCP only): a native addon, child_process;
 * - `thread-stream`: pino's worker-thread transports (the agent logs JSON lines to stdout);
 * - `debug`: the DEBUG=… tracing of mqtt.js, aedes and modbus-serial (the agent logs with pino): tty;
 * - `socks`: mqtt.js's SOCKS proxy support, with `ip-address` and `smart-buffer`;
 * - modbus-serial's servers and its ports other than Modbus TCP (`UNUSED_FILES`): UDP (dgram),
 *   telnet, serial.
 * And two builtins not loaded at start: aedes takes `randomUUID` from node:crypto for ids the
 * agent gives it (broker id) or devices give it (client ids), so node:crypto (~2 MB) is loaded on a
 * device that connects without a client id; pino reads only `isMainThread` from worker_threads, and
 * the agent runs on its main thread.
 */
const UNUSED = {
  ws: "module.exports = function WebSocket () { throw new Error('gangwan-edge: the WebSocket transport is not bundled; use mqtt:// or mqtts://') }",
  serialport: "module.exports = { SerialPort: function SerialPort () { throw new Error('gangwan-edge: serial Modbus is not bundled; use Modbus TCP') } }",
  'thread-stream': "module.exports = function ThreadStream () { throw new Error('gangwan-edge: pino transports are not bundled; the agent logs to stdout') }",
  debug: `function createDebug () { const d = function () {}; d.enabled = false; d.namespace = ''; d.log = d; d.extend = createDebug; d.destroy = d; return d }
createDebug.enable = function () {}; createDebug.disable = function () { return '' }; createDebug.enabled = function () { return false }
createDebug.debug = createDebug.default = createDebug
module.exports = createDebug`,
  socks: "module.exports = { SocksClient: function SocksClient () { throw new Error('gangwan-edge: SOCKS proxies are not bundled') } }",
  'pino-worker-threads': 'module.exports = { isMainThread: true }',
  'aedes-crypto': "module.exports = { randomUUID: function randomUUID () { return process.getBuiltinModule('node:crypto').randomUUID() } }"
}
const PREFIX = '\0gangwan-unused:'
const UNUSED_FILES = /[\\/]node_modules[\\/]modbus-serial[\\/](servers[\\/]|ports[\\/](?!tcpport\.js$))/

// One minified CommonJS file: the agent starts in less memory than from TypeScript sources and a
// gateway needs only Node 24 and this file. CommonJS rather than ESM because an ESM `import` of a
// Node builtin reads every export of it, and `node:http`'s exports include the lazily loaded fetch
// and WebSocket implementation (undici, http2, web streams); `require` does not.
export default defineConfig({
  input: 'src/main.ts',
  platform: 'node',
  plugins: [{
    name: 'gangwan-unused-dependencies',
    resolveId (id, importer) {
      if (id === 'node:crypto' && importer?.includes('/node_modules/aedes/')) return PREFIX + 'aedes-crypto'
      if (id === 'worker_threads' && importer?.includes('/node_modules/pino/')) return PREFIX + 'pino-worker-threads'
      return Object.hasOwn(UNUSED, id) ? PREFIX + id : null
    },
    load (id) {
      if (id.startsWith(PREFIX)) return UNUSED[id.slice(PREFIX.length)]
      if (UNUSED_FILES.test(id)) return `module.exports = function Unused () { throw new Error('gangwan-edge: ${id.split(/[\\/]/).slice(-2).join('/')} is not bundled; use Modbus TCP') }`
      return null
    }
  }],
  output: { file: 'dist/gangwan-edge.cjs', format: 'cjs', minify: !process.env.PLAIN, charset: 'ascii', sourcemap: false }
})
