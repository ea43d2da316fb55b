import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import ModbusRTU from 'modbus-serial'
import {
  decodeField, MODBUS_MODELS, registerSpan, TelemetrySchema, type ModbusModelId, type RegisterField
} from '@gangwan/contracts'
import { eventually } from '../../test-support/eventually.ts'
import { runCli, startCli } from './support/run-cli.ts'

interface MapLine { modbus: { host: string; devices: Record<string, { kind: 'noise' | 'fume'; model: ModbusModelId; port: number; unitId: number }> } }

/** Reads one field from a live unit with a plain client: what any Modbus master would see. */
async function readField (client: InstanceType<typeof ModbusRTU.default>, f: RegisterField): Promise<number | boolean> {
  switch (f.table) {
    case 'holding': return decodeField(f, (await client.readHoldingRegisters(f.address, registerSpan(f.type))).data)
    case 'input': return decodeField(f, (await client.readInputRegisters(f.address, registerSpan(f.type))).data)
    case 'coil': return decodeField(f, (await client.readCoils(f.address, 1)).data[0]!)
    case 'discrete': return decodeField(f, (await client.readDiscreteInputs(f.address, 1)).data[0]!)
  }
}

describe('simulator CLI --modbus-port', () => {
  let dir: string | undefined
  afterAll(async () => { if (dir !== undefined) await rm(dir, { recursive: true, force: true }) })

  it('serves the community\'s noise meters and fume monitors, and prints where each answers', async () => {
    const { child, done } = startCli(['--dry-run', '--sample-every', '1000000', '--modbus-port', '0', '--start', '2025-06-02T12:00:00+08:00', '--no-progress'])
    const client = new ModbusRTU.default()
    try {
      const stdout: string[] = []
      child.stdout!.on('data', (d: string) => stdout.push(d))
      const line = await eventually(() => stdout.join('').split('\n').find((l) => l.startsWith('{"modbus"')), 20_000, 'the Modbus map line')
      const { modbus } = JSON.parse(line) as MapLine
      const entries = Object.entries(modbus.devices)
      // communities/huaguoyuan.json: 20 noise meters, 16 restaurants' fume monitors, unit ids 1… in id order.
      expect(entries.filter(([, d]) => d.kind === 'noise')).toHaveLength(20)
      expect(entries.filter(([, d]) => d.kind === 'fume')).toHaveLength(16)
      expect(entries.map(([id]) => id)).toEqual(entries.map(([id]) => id).sort())
      expect(entries.map(([, d]) => d.unitId)).toEqual(entries.map((_, i) => i + 1))
      expect(new Set(entries.map(([, d]) => d.model))).toEqual(new Set(['noise-nm100', 'fume-fm200', 'fume-fm300']))

      client.setTimeout(2000)
      await client.connectTCP(modbus.host, { port: entries[0]![1].port })
      for (const model of ['noise-nm100', 'fume-fm200', 'fume-fm300'] as const) {
        const [id, d] = entries.find(([, e]) => e.model === model)!
        client.setID(d.unitId)
        const fields: Record<string, number | boolean> = {}
        for (const f of MODBUS_MODELS[model].map.fields) fields[f.field] = await readField(client, f)
        const parsed = TelemetrySchema.safeParse({ ...fields, kind: d.kind, seq: 0, ts: Date.now() })
        expect(parsed.success, `${id}: ${JSON.stringify(fields)}`).toBe(true)
      }
      // At noon the restaurants are open: the fans run.
      const [, open] = entries.find(([, e]) => e.model === 'fume-fm200')!
      client.setID(open.unitId)
      expect((await client.readDiscreteInputs(0, 1)).data[0]).toBe(true)
    } finally {
      if (client.isOpen) await new Promise((resolve) => { client.close(resolve) })
      child.kill('SIGTERM')
    }
    expect((await done).code).toBe(0)
  })

  it('writes the map to --modbus-map, and refuses --modbus-map alone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gangwan-modbus-'))
    const file = join(dir, 'map.json')
    const r = await runCli(['--dry-run', '--duration', '500ms', '--sample-every', '1000000', '--modbus-port', '0', '--modbus-map', file])
    expect(r.code).toBe(0)
    const { modbus } = JSON.parse(await readFile(file, 'utf8')) as MapLine
    expect(Object.keys(modbus.devices)).toHaveLength(36)
    expect(r.stdout).not.toContain('"modbus"')
    const bad = await runCli(['--dry-run', '--duration', '500ms', '--modbus-map', file])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('GW_ERR_CONFIG_INVALID')
  })
})
