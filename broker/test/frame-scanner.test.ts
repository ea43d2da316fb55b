import { describe, expect, it } from 'vitest'
import { createFrameScanner } from '../src/frame-scanner.ts'

const limits = { maxPayloadBytes: 100, maxControlPacketBytes: 200 }
const CONNECT = [0x10, 0x00] // a CONNECT header with an empty body: framing only, the scanner does not parse bodies

/** PUBLISH bytes: QoS, topic of `topicLength` bytes, `payload` bytes (body filled with zeros). */
function publish (qos: number, topicLength: number, payload: number): number[] {
  const remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + payload
  const length: number[] = []
  let n = remaining
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; length.push(b) } while (n > 0)
  return [0x30 | (qos << 1), ...length, topicLength >> 8, topicLength & 0xff, ...Array<number>(remaining - 2).fill(0)]
}

const scanAll = (bytes: number[], chunkSize = bytes.length) => {
  const scanner = createFrameScanner(limits)
  let result = null
  for (let i = 0; i < bytes.length && result === null; i += chunkSize) result = scanner.scan(Buffer.from(bytes.slice(i, i + chunkSize)))
  return result
}

describe('frame scanner', () => {
  it.each([
    ['CONNECT then PINGREQ and DISCONNECT', [...CONNECT, 0xc0, 0x00, 0xe0, 0x00]],
    ['a QoS 0 PUBLISH at the payload limit', [...CONNECT, ...publish(0, 10, 100)]],
    ['a QoS 1 PUBLISH at the payload limit', [...CONNECT, ...publish(1, 10, 100)]],
    ['a QoS 2 PUBLISH, PUBREL with flags 2', [...CONNECT, ...publish(2, 5, 1), 0x62, 0x02, 0x00, 0x01]],
    ['SUBSCRIBE and UNSUBSCRIBE with flags 2', [...CONNECT, 0x82, 0x03, 0, 1, 0, 0xa2, 0x02, 0, 1]],
    ['a 2-byte remaining length', [...CONNECT, ...publish(1, 20, 99)]]
  ])('passes %s, whole or byte by byte', (_what, bytes) => {
    expect(scanAll(bytes)).toBeNull()
    expect(scanAll(bytes, 1)).toBeNull()
    expect(scanAll(bytes, 3)).toBeNull()
  })

  it.each([
    ['a payload one byte over the limit (QoS 0)', [...CONNECT, ...publish(0, 10, 101)], 'payload_too_large'],
    ['a payload one byte over the limit (QoS 1)', [...CONNECT, ...publish(1, 10, 101)], 'payload_too_large'],
    ['a control packet over its limit', [0x10, 0xc9, 0x01], 'payload_too_large'],
    ['a first packet that is not CONNECT', [0x30, 0x02, 0x00, 0x00], 'malformed_packet'],
    ['a second CONNECT', [...CONNECT, ...CONNECT], 'malformed_packet'],
    ['a reserved type 0', [...CONNECT, 0x00, 0x00], 'malformed_packet'],
    ['a server-only CONNACK', [...CONNECT, 0x20, 0x02, 0, 0], 'malformed_packet'],
    ['PUBLISH with QoS 3', [...CONNECT, 0x36, 0x02, 0, 0], 'malformed_packet'],
    ['SUBSCRIBE with flags 0', [...CONNECT, 0x80, 0x03, 0, 1, 0], 'malformed_packet'],
    ['PINGREQ with flags set', [...CONNECT, 0xc1, 0x00], 'malformed_packet'],
    ['a remaining length of 5 bytes', [0x10, 0xff, 0xff, 0xff, 0xff, 0x01], 'malformed_packet'],
    ['a PUBLISH too short for its topic length', [...CONNECT, 0x30, 0x01, 0x00], 'malformed_packet'],
    ['a topic longer than the PUBLISH', [...CONNECT, 0x30, 0x04, 0x00, 0x09, 0, 0], 'malformed_packet']
  ])('refuses %s, whole or byte by byte', (_what, bytes, reason) => {
    expect(scanAll(bytes)?.reason).toBe(reason)
    expect(scanAll(bytes, 1)?.reason).toBe(reason)
  })

  it('decides an oversized PUBLISH from its header and topic length alone', () => {
    const scanner = createFrameScanner(limits)
    expect(scanner.scan(Buffer.from(CONNECT))).toBeNull()
    // 100 MB announced, nothing of the body sent
    expect(scanner.scan(Buffer.from([0x32, 0x80, 0xc2, 0xd7, 0x2f, 0x00, 0x05]))?.reason).toBe('payload_too_large')
  })

  it('keeps answering the first violation', () => {
    const scanner = createFrameScanner(limits)
    const first = scanner.scan(Buffer.from([0xf0, 0x00]))
    expect(scanner.scan(Buffer.from(CONNECT))).toBe(first)
  })
})
