import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCommunityFile } from '../src/index.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gangwan-community-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

async function withEdit (edit: (c: any) => void): Promise<string> {
  const c = JSON.parse(await readFile(FIXTURE, 'utf8'))
  edit(c)
  const file = join(dir, `c-${Math.random()}.json`)
  await writeFile(file, JSON.stringify(c))
  return file
}

describe('community file loading', () => {
  it('loads the fixture', async () => {
    const c = await loadCommunityFile(FIXTURE)
    expect(c.devices).toHaveLength(6)
  })
  it.each([
    ['devices.0.gateway', (c: any) => { c.devices[0].gateway = 'GW-NOPE' }],
    ['buildings.0.grid', (c: any) => { c.buildings[0].grid = 'G99' }],
    ['devices.2.elevator', (c: any) => { c.devices[2].elevator = 'E-NOPE' }],
    ['devices.0.floor', (c: any) => { c.devices[0].floor = 31 }],
    ['restaurants.0.fumeLimitMgM3', (c: any) => { c.restaurants[0].fumeLimitMgM3 = 'two' }]
  ])('names the bad field %s', async (path, edit) => {
    const file = await withEdit(edit)
    await expect(loadCommunityFile(file)).rejects.toMatchObject({ code: 'GW_ERR_COMMUNITY_INVALID', message: expect.stringContaining(`${path}:`) })
  })
  it('reports an unreadable file with its own code', async () => {
    await expect(loadCommunityFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'GW_ERR_COMMUNITY_UNREADABLE' })
  })
})
