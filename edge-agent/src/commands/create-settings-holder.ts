import { RuntimeSettingsSchema, type RuntimeSettings } from '../config.ts'

/** The run-time settings: the config file's, overridden by what the hub sent since (persisted). */
export interface SettingsHolder {
  get: () => Readonly<RuntimeSettings>
  /** Applies the valid settings of a `config` command; returns a reason for each one not applied. */
  apply: (args: Record<string, unknown>) => string[]
  onChange: (listener: (s: Readonly<RuntimeSettings>, changed: string[]) => void) => void
}

/**
 * Holds the settings the hub may change without a restart. Each setting is checked on its own
 * against the config schema, so one bad value does not block the others; the applied ones are
 * saved through `persist` and win over the config file on the next start.
 */
export function createSettingsHolder (initial: RuntimeSettings, overrides: Record<string, unknown>, persist: (o: Record<string, unknown>) => void): SettingsHolder {
  const shape = RuntimeSettingsSchema.shape
  const saved: Record<string, unknown> = {}
  let current: RuntimeSettings = { ...initial }
  for (const [k, v] of Object.entries(overrides)) {
    const field = shape[k as keyof typeof shape]
    if (field !== undefined && field.safeParse(v).success) { saved[k] = v; current = { ...current, [k]: v } }
  }
  const listeners: Array<(s: Readonly<RuntimeSettings>, changed: string[]) => void> = []
  return {
    get: () => current,
    apply (args) {
      const rejected: string[] = []
      const changed: string[] = []
      let next = current
      for (const [k, v] of Object.entries(args)) {
        const field = shape[k as keyof typeof shape]
        if (field === undefined) { rejected.push(`${k}: unknown setting`); continue }
        const r = field.safeParse(v)
        if (!r.success || r.data === undefined) { rejected.push(`${k}: ${r.success ? 'required' : r.error.issues[0]?.message ?? 'invalid'}`); continue }
        next = { ...next, [k]: r.data }
        saved[k] = r.data
        changed.push(k)
      }
      if (changed.length > 0) {
        current = next
        persist(saved)
        for (const l of listeners) l(current, changed)
      }
      return rejected
    },
    onChange: (l) => { listeners.push(l) }
  }
}
