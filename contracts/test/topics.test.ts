import { describe, expect, it } from 'vitest'
import { MAX_TOPIC_LEVELS, TOPIC_PREFIX, isOwnCommandFilter, parseTopic, topics, type ParsedTopic } from '../src/index.ts'


const GW = 'GW-B03'
const DEV = 'B03-F12-S01'

/** Every builder, what it must produce and what parseTopic must give back. */
const built: [string, string, ParsedTopic][] = [
  ['telemetry', topics.telemetry(GW, DEV), { gateway: GW, device: DEV, channel: 'telemetry' }],
  ['deviceStatus', topics.deviceStatus(GW, DEV), { gateway: GW, device: DEV, channel: 'status' }],
  ['deviceHeartbeat', topics.deviceHeartbeat(GW, DEV), { gateway: GW, device: DEV, channel: 'heartbeat' }],
  ['deviceCommand', topics.deviceCommand(GW, DEV), { gateway: GW, device: DEV, channel: 'cmd' }],
  ['deviceCommandAck', topics.deviceCommandAck(GW, DEV), { gateway: GW, device: DEV, channel: 'cmd/ack' }],
  ['gatewayStatus', topics.gatewayStatus(GW), { gateway: GW, channel: 'status' }],
  ['gatewayHeartbeat', topics.gatewayHeartbeat(GW), { gateway: GW, channel: 'heartbeat' }],
  ['gatewayCommand', topics.gatewayCommand(GW), { gateway: GW, channel: 'cmd' }],
  ['gatewayCommandAck', topics.gatewayCommandAck(GW), { gateway: GW, channel: 'cmd/ack' }]
]

describe('topic builders', () => {
  it('cover every builder but namespace', () => {
    expect(built.map(([name]) => name).sort()).toEqual(Object.keys(topics).filter((k) => k !== 'namespace').sort())
  })
  it.each(built)('%s round-trips through parseTopic', (_name, topic, parsed) => {
    expect(parseTopic(topic)).toEqual(parsed)
  })
  it.each(built)('%s lies inside the namespace and within the depth limit', (_name, topic) => {
    expect(topic.startsWith(topics.namespace(GW))).toBe(true)
    expect(topic.startsWith(`${TOPIC_PREFIX}/`)).toBe(true)
    expect(topic.split('/').length).toBeLessThanOrEqual(MAX_TOPIC_LEVELS)
  })
  it('produces the documented shapes', () => {
    expect(topics.telemetry(GW, DEV)).toBe('gangwan/v1/GW-B03/d/B03-F12-S01/telemetry')
    expect(topics.deviceCommandAck(GW, DEV)).toBe('gangwan/v1/GW-B03/d/B03-F12-S01/cmd/ack')
    expect(topics.gatewayStatus(GW)).toBe('gangwan/v1/GW-B03/status')
    expect(topics.namespace(GW)).toBe('gangwan/v1/GW-B03/')
  })
  it('keeps a direct device in its own namespace (gateway id = device id)', () => {
    expect(parseTopic(topics.telemetry(DEV, DEV))).toEqual({ gateway: DEV, device: DEV, channel: 'telemetry' })
  })
  it("does not let one gateway's namespace prefix another's", () => {
    expect(topics.telemetry('GW-10', DEV).startsWith(topics.namespace('GW-1'))).toBe(false)
  })
  it('has 7 levels at the deepest topic', () => {
    expect(MAX_TOPIC_LEVELS).toBe(7)
    expect(topics.deviceCommandAck(GW, DEV).split('/')).toHaveLength(MAX_TOPIC_LEVELS)
  })
})

describe('parseTopic rejects', () => {
  it.each([
    ['wrong project', 'other/v1/GW-B03/status'],
    ['project in another case', 'Gangwan/v1/GW-B03/status'],
    ['wrong version', 'gangwan/v2/GW-B03/status'],
    ['version without v', 'gangwan/1/GW-B03/status'],
    ['leading slash', '/gangwan/v1/GW-B03/status'],
    ['trailing slash', 'gangwan/v1/GW-B03/status/'],
    ['empty topic', ''],
    ['prefix only', 'gangwan/v1'],
    ['namespace only', 'gangwan/v1/GW-B03'],
    ['namespace with slash', 'gangwan/v1/GW-B03/'],
    ['gateway id with a space', 'gangwan/v1/GW B03/status'],
    ['gateway id with a dot', 'gangwan/v1/GW.B03/status'],
    ['empty gateway id', 'gangwan/v1//status'],
    ['gateway id of 65 characters', `gangwan/v1/${'G'.repeat(65)}/status`],
    ['empty device id', 'gangwan/v1/GW-B03/d//telemetry'],
    ['device id with a colon', 'gangwan/v1/GW-B03/d/B03:F12/telemetry'],
    ['single-level wildcard as gateway', 'gangwan/v1/+/status'],
    ['single-level wildcard as device', 'gangwan/v1/GW-B03/d/+/telemetry'],
    ['multi-level wildcard', 'gangwan/v1/#'],
    ['multi-level wildcard under a device', 'gangwan/v1/GW-B03/d/B03-F12-S01/#'],
    ['wildcard channel', 'gangwan/v1/GW-B03/+'],
    ['telemetry at gateway level', 'gangwan/v1/GW-B03/telemetry'],
    ['unknown gateway channel', 'gangwan/v1/GW-B03/config'],
    ['unknown device channel', 'gangwan/v1/GW-B03/d/B03-F12-S01/alarm'],
    ['missing device channel', 'gangwan/v1/GW-B03/d/B03-F12-S01'],
    ['missing device level', 'gangwan/v1/GW-B03/d'],
    ['device marker in upper case', 'gangwan/v1/GW-B03/D/B03-F12-S01/telemetry'],
    ['another device marker', 'gangwan/v1/GW-B03/dev/B03-F12-S01/telemetry'],
    ['extra level after telemetry', 'gangwan/v1/GW-B03/d/B03-F12-S01/telemetry/x'],
    ['extra level after a gateway channel', 'gangwan/v1/GW-B03/status/x'],
    ['ack of a non-command channel', 'gangwan/v1/GW-B03/d/B03-F12-S01/status/ack'],
    ['ack of heartbeat at gateway level', 'gangwan/v1/GW-B03/heartbeat/ack'],
    ['extra level after cmd/ack (8 levels)', 'gangwan/v1/GW-B03/d/B03-F12-S01/cmd/ack/x'],
    ['extra level after gateway cmd/ack', 'gangwan/v1/GW-B03/cmd/ack/x'],
    ['nested devices', 'gangwan/v1/GW-B03/d/B03/d/F12/telemetry'],
    ['$SYS topic', '$SYS/broker/clients']
  ])('%s: %j', (_name, topic) => {
    expect(parseTopic(topic)).toBeNull()
  })
})

describe('isOwnCommandFilter for gateway GW-1', () => {
  it.each([
    ['its own command topic', 'gangwan/v1/GW-1/cmd'],
    ['command topics of all its devices', 'gangwan/v1/GW-1/d/+/cmd'],
    ['the command topic of one of its devices', 'gangwan/v1/GW-1/d/B03-F12-S01/cmd']
  ])('accepts %s: %j', (_name, filter) => {
    expect(isOwnCommandFilter('GW-1', filter)).toBe(true)
  })
  it.each([
    ['its whole namespace', 'gangwan/v1/GW-1/#'],
    ['every gateway\'s commands', 'gangwan/v1/+/cmd'],
    ['every device command of every gateway', 'gangwan/v1/+/d/+/cmd'],
    ['another gateway', 'gangwan/v1/GW-2/cmd'],
    ['a gateway whose id starts with its own', 'gangwan/v1/GW-10/cmd'],
    ['its id in another case', 'gangwan/v1/gw-1/cmd'],
    ['another gateway\'s devices', 'gangwan/v1/GW-2/d/+/cmd'],
    ['everything', '#'],
    ['the v1 tree', 'gangwan/v1/#'],
    ['any version', 'gangwan/+/GW-1/cmd'],
    ['another version', 'gangwan/v2/GW-1/cmd'],
    ['any project', '+/v1/GW-1/cmd'],
    ['a leading slash', '/gangwan/v1/GW-1/cmd'],
    ['a trailing slash', 'gangwan/v1/GW-1/cmd/'],
    ['commands and their acks', 'gangwan/v1/GW-1/cmd/#'],
    ['its own acks', 'gangwan/v1/GW-1/cmd/ack'],
    ['a device\'s acks', 'gangwan/v1/GW-1/d/B03-F12-S01/cmd/ack'],
    ['every channel at gateway level', 'gangwan/v1/GW-1/+'],
    ['all under its devices', 'gangwan/v1/GW-1/d/#'],
    ['all under its devices\' commands', 'gangwan/v1/GW-1/d/+/cmd/#'],
    ['every channel of its devices', 'gangwan/v1/GW-1/d/+/+'],
    ['a wildcard for the device marker', 'gangwan/v1/GW-1/+/+/cmd'],
    ['a wildcard inside a device id', 'gangwan/v1/GW-1/d/B03+/cmd'],
    ['a # as device id', 'gangwan/v1/GW-1/d/#/cmd'],
    ['an empty device id', 'gangwan/v1/GW-1/d//cmd'],
    ['its devices\' telemetry', 'gangwan/v1/GW-1/d/+/telemetry'],
    ['its status', 'gangwan/v1/GW-1/status'],
    ['a shared subscription', '$share/g/gangwan/v1/GW-1/cmd'],
    ['$SYS', '$SYS/#'],
    ['the empty filter', '']
  ])('rejects %s: %j', (_name, filter) => {
    expect(isOwnCommandFilter('GW-1', filter)).toBe(false)
  })
  it.each([
    ['+', 'gangwan/v1/+/cmd'],
    ['+', 'gangwan/v1/+/d/+/cmd'],
    ['#', 'gangwan/v1/#/cmd'],
    ['', 'gangwan/v1//cmd'],
    ['GW-1/d/x', 'gangwan/v1/GW-1/d/x/cmd']
  ])('never trusts a gateway argument that is not an id: %j with %j', (gateway, filter) => {
    expect(isOwnCommandFilter(gateway, filter)).toBe(false)
  })
})
