import { readFile } from 'node:fs/promises'
import { CommunitySchema, formatIssues, GangwanError, type Community } from '@gangwan/contracts'

/**
 * Reads and validates a community file. Fails fast (start-up) with `GW_ERR_COMMUNITY_UNREADABLE`
 * or `GW_ERR_COMMUNITY_INVALID`, the latter listing every issue with the path of the bad field.
 */
export async function loadCommunityFile (path: string): Promise<Community> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new GangwanError('GW_ERR_COMMUNITY_UNREADABLE', `cannot read community file ${path}: ${(err as Error).message}`, { cause: err })
  }
  const r = CommunitySchema.safeParse(raw)
  if (!r.success) {
    const lines = formatIssues(r.error)
    const shown = lines.slice(0, 20).join('\n  ')
    const more = lines.length > 20 ? `\n  ... and ${lines.length - 20} more` : ''
    throw new GangwanError('GW_ERR_COMMUNITY_INVALID', `community file ${path} is invalid:\n  ${shown}${more}`)
  }
  return r.data
}
