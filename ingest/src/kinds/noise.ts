import type { KindLine } from './kind-line.ts'

/** `noise`: one-minute statistics in dB(A) (HJ 906/907-2017); `intervalS` is an integer per the schema. */
export const noiseLine: KindLine<'noise'> = {
  fields (m) {
    let s = 'seq=' + m.seq + 'i,intervalS=' + m.intervalS + 'i,leq=' + m.leq + ',lmax=' + m.lmax + ',lmin=' + m.lmin +
      ',l10=' + m.l10 + ',l50=' + m.l50 + ',l90=' + m.l90 + ',valid=' + m.valid
    if (m.invalidReason !== undefined) s += ',invalidReason="' + m.invalidReason + '"'
    return s
  }
}
