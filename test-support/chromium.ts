import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Debian's Chromium (scripts/setup.sh installs it); playwright-core drives it and downloads nothing. */
export const CHROMIUM = process.env.GANGWAN_CHROMIUM ?? '/usr/bin/chromium'
/** Headless, no sandbox (CI runs as root), no GPU, and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
/** Whether the operator console is built (the hub serves dashboard/console/dist). */
export const CONSOLE_BUILT = existsSync(`${ROOT}dashboard/console/dist/index.html`)
/** Where the browser tests save their screenshots. */
export const SCREENSHOTS = `${ROOT}docs/screenshots`

/** Launches Debian's Chromium with the project's flags. */
export async function launchChromium (): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}
