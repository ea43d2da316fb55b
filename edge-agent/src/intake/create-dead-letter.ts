import { appendFileSync, renameSync, statSync } from 'node:fs'

/** Where invalid local messages go instead of upstream: one JSON line each. */
export interface DeadLetter {
  write: (reason: string, topic: string, payload: Buffer, detail?: string) => void
}

/**
 * A JSON-lines file, rotated once to `FILE.1` when it passes `maxBytes`, so a device stuck sending
 * garbage cannot fill the gateway's disk. Payloads are kept as UTF-8 text when they are text,
 * else base64.
 */
export function createDeadLetter (file: string, maxBytes = 10 * 1024 * 1024): DeadLetter {
  let size = 0
  try { size = statSync(file).size } catch { size = 0 }
  return {
    write (reason, topic, payload, detail) {
      const text = payload.toString('utf8')
      const isText = Buffer.from(text, 'utf8').equals(payload)
      const line = JSON.stringify({ ts: Date.now(), reason, topic, detail, ...(isText ? { payload: text } : { payloadBase64: payload.toString('base64') }) }) + '\n'
      if (size + line.length > maxBytes && size > 0) {
        renameSync(file, `${file}.1`)
        size = 0
      }
      appendFileSync(file, line)
      size += Buffer.byteLength(line)
    }
  }
}
