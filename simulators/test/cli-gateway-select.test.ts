import { describe, expect, it } from 'vitest'
import { runCli } from './support/run-cli.ts'

// --gateway / --exclude-gateway pick which gateways' devices run, e.g. to feed one edge agent's
// LAN listener (which relays its own gateway's topics only) while the rest go to the hub.

interface Summary { clients: { total: number }, sent: number }
const summaryOf = (stdout: string): Summary => JSON.parse(stdout.trim().split('\n').at(-1)!) as Summary
const base = ['--dry-run', '--sample-every', '1000000', '--duration', '1s', '--speed', '60', '--no-progress', '--json-summary']

describe('simulate --gateway / --exclude-gateway', () => {
  it('runs one gateway alone, or all but the excluded ones, with one client per remaining gateway', async () => {
    const all = summaryOf((await runCli(base)).stdout)
    const one = await runCli([...base, '--gateway', 'GW-B03'])
    expect(one.code, one.stderr).toBe(0)
    expect(summaryOf(one.stdout).clients.total).toBe(1)
    const rest = summaryOf((await runCli([...base, '--exclude-gateway', 'GW-B03,GW-B04'])).stdout)
    expect(rest.clients.total).toBe(all.clients.total - 2)
    expect(rest.sent).toBeLessThan(all.sent)
  })

  it('refuses a gateway with no device behind it', async () => {
    const r = await runCli([...base, '--gateway', 'GW-NOPE'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/GW_ERR_CONFIG_INVALID[\s\S]*GW-NOPE/)
  })
})
