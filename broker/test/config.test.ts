import { describe, expect, it } from 'vitest'
import { MAX_TOPIC_LEVELS } from '@gangwan/contracts'
import { brokerConfig } from '../src/index.ts'

describe('broker config', () => {
  it('defaults every field and freezes the result', () => {
    const config = brokerConfig()
    expect(config).toEqual({
      host: '0.0.0.0', port: 1883, maxPayloadBytes: 65_536, maxTopicLevels: MAX_TOPIC_LEVELS, keepaliveLimitS: 300,
      connectTimeoutMs: 10_000, maxClientIdLength: 64, maxConnectionsPerSecond: 200
    })
    expect(Object.isFrozen(config)).toBe(true)
    expect(brokerConfig({ port: 0, maxPayloadBytes: 1024 })).toMatchObject({ port: 0, maxPayloadBytes: 1024, keepaliveLimitS: 300 })
  })

  it.each([
    [{ port: 70_000 }],
    [{ port: -1 }],
    [{ maxPayloadBytes: 0 }],
    [{ maxTopicLevels: 101 }],
    [{ keepaliveLimitS: 65_536 }],
    [{ maxClientIdLength: 22 }],
    [{ maxConnectionsPerSecond: 0.5 }],
    [{ host: '' }],
    [{ unknownField: 1 }]
  ])('rejects %o with GW_ERR_CONFIG_INVALID', (partial) => {
    expect(() => brokerConfig(partial as never)).toThrow(expect.objectContaining({ code: 'GW_ERR_CONFIG_INVALID' }))
  })
})
