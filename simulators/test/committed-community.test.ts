import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommunitySchema, formatIssues } from '@gangwan/contracts'
import { ROOT, runCli } from './support/run-cli.ts'

// The exact command communities/README.md gives for regenerating the file.
const COMMAND = ['generate', '--seed', '1', '--buildings', '20', '--devices', '2000', '--name', '花果园 (Huaguoyuan demo)', '--id', 'huaguoyuan']

describe('communities/huaguoyuan.json', () => {
  let dir: string
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gangwan-community-')) })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('is exactly what the documented command generates', async () => {
    const out = join(dir, 'huaguoyuan.json')
    const r = await runCli([...COMMAND, '--out', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(await readFile(out, 'utf8')).toBe(await readFile(resolve(ROOT, 'communities/huaguoyuan.json'), 'utf8'))
  })

  it('is documented with that command', async () => {
    const readme = await readFile(resolve(ROOT, 'communities/README.md'), 'utf8')
    expect(readme).toContain(`npm run simulate -- ${COMMAND.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')} --out communities/huaguoyuan.json`)
  })

  it('validates against CommunitySchema at the demo scale', async () => {
    const r = CommunitySchema.safeParse(JSON.parse(await readFile(resolve(ROOT, 'communities/huaguoyuan.json'), 'utf8')))
    if (!r.success) throw new Error(formatIssues(r.error).join('\n'))
    expect(r.data.name).toBe('花果园 (Huaguoyuan demo)')
    expect(r.data.buildings).toHaveLength(20)
    expect(r.data.devices).toHaveLength(2000)
  })
})
