import { describe, expect, it } from 'vitest'
import { topics } from '@gangwan/contracts'
import { mayPublish, maySubscribe, mayWill, type Credential } from '../src/index.ts'

const gw: Credential = { id: 'GW-A', role: 'gateway', createdAt: 0 }
const dev: Credential = { id: 'DEV-1', role: 'device', createdAt: 0 }
const svc: Credential = { id: 'SVC-1', role: 'service', createdAt: 0 }

describe('publish ACL', () => {
  it.each<[Credential, string, boolean]>([
    [gw, topics.telemetry('GW-A', 'S1'), true],
    [gw, topics.deviceStatus('GW-A', 'S1'), true],
    [gw, topics.deviceHeartbeat('GW-A', 'S1'), true],
    [gw, topics.deviceCommandAck('GW-A', 'S1'), true],
    [gw, topics.gatewayStatus('GW-A'), true],
    [gw, topics.gatewayHeartbeat('GW-A'), true],
    [gw, topics.gatewayCommandAck('GW-A'), true],
    [gw, topics.gatewayCommand('GW-A'), false],
    [gw, topics.deviceCommand('GW-A', 'S1'), false],
    [gw, topics.telemetry('GW-B', 'S1'), false],
    [gw, 'gangwan/v1/GW-A/telemetry', false],
    [gw, 'gangwan/v2/GW-A/d/S1/telemetry', false],
    [gw, 'gangwan/v1/GW-A/d/S1/telemetry/x', false],
    [gw, '$SYS/broker/x', false],
    [dev, topics.telemetry('DEV-1', 'DEV-1'), true],
    [dev, topics.telemetry('GW-A', 'DEV-1'), false],
    [svc, topics.deviceCommand('GW-A', 'S1'), true],
    [svc, topics.gatewayCommand('GW-B'), true],
    [svc, topics.telemetry('GW-A', 'S1'), false],
    [svc, topics.gatewayStatus('SVC-1'), false]
  ])('%o may publish %s: %s', (cred, topic, allowed) => {
    expect(mayPublish(cred, topic)).toBe(allowed)
  })
})

describe('subscribe ACL', () => {
  it.each<[Credential, string, boolean]>([
    [gw, topics.gatewayCommand('GW-A'), true],
    [gw, 'gangwan/v1/GW-A/d/+/cmd', true],
    [gw, topics.deviceCommand('GW-A', 'S1'), true],
    [gw, 'gangwan/v1/GW-A/#', false],
    [gw, 'gangwan/v1/+/cmd', false],
    [gw, topics.gatewayCommand('GW-B'), false],
    [gw, topics.deviceCommandAck('GW-A', 'S1'), false],
    [svc, 'gangwan/v1/#', true],
    [svc, 'gangwan/v1/+/d/+/telemetry', true],
    [svc, '#', false],
    [svc, '$SYS/#', false]
  ])('%o may subscribe %s: %s', (cred, filter, allowed) => {
    expect(maySubscribe(cred, filter)).toBe(allowed)
  })
})

describe('will ACL', () => {
  it.each<[Credential, string, boolean]>([
    [gw, topics.gatewayStatus('GW-A'), true],
    [gw, topics.deviceStatus('GW-A', 'S1'), true],
    [gw, topics.gatewayStatus('GW-B'), false],
    [gw, topics.gatewayHeartbeat('GW-A'), false],
    [dev, topics.deviceStatus('DEV-1', 'DEV-1'), true],
    [svc, topics.gatewayStatus('SVC-1'), false]
  ])('%o may leave a will on %s: %s', (cred, topic, allowed) => {
    expect(mayWill(cred, topic)).toBe(allowed)
  })
})
