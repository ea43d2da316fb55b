import type { KindLine } from './kind-line.ts'

/** `fume`: concentrations in mg/m³ (GB 18483-2001), fan and purifier current and state. */
export const fumeLine: KindLine<'fume'> = {
  fields (m) {
    return 'seq=' + m.seq + 'i,fumeMgM3=' + m.fumeMgM3 + ',particulateMgM3=' + m.particulateMgM3 +
      ',nmhcMgM3=' + m.nmhcMgM3 + ',fanCurrentA=' + m.fanCurrentA + ',fanOn=' + m.fanOn +
      ',purifierCurrentA=' + m.purifierCurrentA + ',purifierOn=' + m.purifierOn
  }
}
