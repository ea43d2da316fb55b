import { readFile } from 'node:fs/promises'
import { CommunitySchema, formatIssues, GangwanError, type Community } from '@gangwan/contracts'

/**
 * Reads and validates a community file. Fails with `GW_ERR_COMMUNITY_UNREADABLE` when the file
 * cannot be read or is not JSON, and `GW_ERR_COMMUNITY_INVALID` listing every issue by path.
 *
 * @example const community = await loadCommunity('communities/huaguoyuan.json')
 */
export async function loadCommunity (file: string): Promise<Community> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    throw new GangwanError('GW_ERR_COMMUNITY_UNREADABLE', `cannot read community file ${file}: ${(err as Error).message}`, { cause: err })
  }
  const r = CommunitySchema.safeParse(raw)
  if (!r.success) throw new GangwanError('GW_ERR_COMMUNITY_INVALID', `${file} is invalid:\n  ${formatIssues(r.error).join('\n  ')}`)
  return r.data
}
