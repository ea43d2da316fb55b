import { stringField } from '../line/line-protocol.ts'
import type { KindLine } from './kind-line.ts'

/**
 * `falling_object`: the trajectory as a JSON string field plus numeric summaries a query can
 * filter on: `points` (count), `startH`/`endH` (m above ground of the first and last point) and
 * `durationS` (last t − first t). The façade tag is the camera's registered façade.
 */
export const fallingObjectLine: KindLine<'falling_object'> = {
  fields (m) {
    const tr = m.trajectory
    const first = tr[0]!
    const last = tr[tr.length - 1]!
    return 'seq=' + m.seq + 'i,eventId=' + stringField(m.eventId) + ',confidence=' + m.confidence +
      ',clip=' + stringField(m.clip) + ',trajectory=' + stringField(JSON.stringify(tr)) + ',points=' + tr.length +
      'i,startH=' + first.h + ',endH=' + last.h + ',durationS=' + (last.t - first.t)
  },
  extraTags: (d) => ({ facade: d.facade })
}
