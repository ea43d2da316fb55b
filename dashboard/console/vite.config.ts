import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

/**
 * The operator console's build: static files in `console/dist`, served by the dashboard's fastify
 * at `/` on the same origin as the API (so the session cookie covers fetches and the live stream).
 * `GANGWAN_API` points the dev server's proxy at a running hub (`npx vite --config console/vite.config.ts`).
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // ECharts is most of the weight and changes least: its own cacheable chunk.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }
          ]
        }
      }
    }
  },
  server: {
    proxy: {
      '/api': { target: process.env.GANGWAN_API ?? 'http://127.0.0.1:8080', changeOrigin: false }
    }
  }
})
