import type { CommunityInput } from '@gangwan/contracts'

/**
 * Serialises a community file for humans and diffs: top-level fields one per line, and every
 * item of a list (a grid, a building, a device) on a line of its own. The result is plain JSON.
 *
 * @example await writeFile('communities/huaguoyuan.json', formatCommunity(c))
 */
export function formatCommunity (c: CommunityInput): string {
  const entries = Object.entries(c).filter(([, v]) => v !== undefined)
  const lines = ['{']
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : ''
    if (Array.isArray(value) && value.length > 0) {
      lines.push(`  ${JSON.stringify(key)}: [`)
      value.forEach((item, j) => lines.push(`    ${JSON.stringify(item)}${j < value.length - 1 ? ',' : ''}`))
      lines.push(`  ]${comma}`)
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`)
    }
  })
  lines.push('}')
  return `${lines.join('\n')}\n`
}
