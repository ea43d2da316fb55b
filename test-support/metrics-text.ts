/**
 * Reads one sample from Prometheus text exposition: the metric `name` without labels, or the
 * first of its series whose label set contains `labels` (e.g. `reason="bad_json"`).
 * `undefined` when the sample is absent.
 */
export function metricValue (text: string, name: string, labels?: string): number | undefined {
  for (const line of text.split('\n')) {
    const space = line.lastIndexOf(' ')
    if (space < 0 || line.startsWith('#')) continue
    const key = line.slice(0, space)
    if (labels === undefined ? key === name : key.startsWith(`${name}{`) && key.includes(labels)) return Number(line.slice(space + 1))
  }
  return undefined
}
