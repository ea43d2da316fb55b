import type { KindLine } from './kind-line.ts'

/** `fire`: detector readings; optional readings are written only when present. */
export const fireLine: KindLine<'fire'> = {
  fields (m) {
    let s = 'seq=' + m.seq + 'i,alarm=' + m.alarm + ',fault=' + m.fault + ',tamper=' + m.tamper
    if (m.smokeDbM !== undefined) s += ',smokeDbM=' + m.smokeDbM
    if (m.temperatureC !== undefined) s += ',temperatureC=' + m.temperatureC
    if (m.manualCall !== undefined) s += ',manualCall=' + m.manualCall
    if (m.batteryPct !== undefined) s += ',batteryPct=' + m.batteryPct
    return s
  }
}
