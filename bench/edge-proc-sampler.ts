import { readFileSync } from 'node:fs'

/** One reading of a process from /proc. */
export interface ProcSample {
  at: number
  /** Resident set (VmRSS) and its anonymous and file-backed parts, MB (MiB). */
  rssMb: number
  anonMb: number
  fileMb: number
  /** Peak resident set so far (VmHWM), MB. */
  hwmMb: number
  /** utime + stime, seconds. */
  cpuS: number
}

// USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux architecture Node supports.
const TICKS_PER_S = 100

/** Reads /proc/`pid`/status and /proc/`pid`/stat. */
export function sampleProc (pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  // Fields after the command name (which may hold spaces) start at state: utime and stime are 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const mb = (k: number): number => Math.round(k / 1024 * 10) / 10
  return {
    at: Date.now(),
    rssMb: mb(kb('VmRSS')),
    anonMb: mb(kb('RssAnon')),
    fileMb: mb(kb('RssFile')),
    hwmMb: mb(kb('VmHWM')),
    cpuS: (Number(rest[11]) + Number(rest[12])) / TICKS_PER_S
  }
}

/** Samples `pid` every `everyMs` until stopped (a failed read, e.g. after the process exited, is skipped). */
export function createProcSampler (pid: number, everyMs = 1000): { samples: ProcSample[], between: (from: number, to: number) => ProcSample[], stop: () => void } {
  const samples: ProcSample[] = [sampleProc(pid)]
  const timer = setInterval(() => { try { samples.push(sampleProc(pid)) } catch { /* gone */ } }, everyMs)
  return {
    samples,
    between: (from, to) => samples.filter((s) => s.at >= from && s.at <= to),
    stop: () => { clearInterval(timer) }
  }
}

/** CPU per cent of one core over the samples' span. */
export function cpuPct (s: ProcSample[]): number {
  if (s.length < 2) return Number.NaN
  const a = s[0]!
  const b = s[s.length - 1]!
  return Math.round((b.cpuS - a.cpuS) / ((b.at - a.at) / 1000) * 1000) / 10
}

/** The p-quantile (0–1) of `xs` (nearest rank), NaN when empty. */
export function quantile (xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((x, y) => x - y)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!
}
