import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const OPENSSL = '/usr/bin/openssl'
/** P-256 keys: fast to generate and to handshake with. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']

/** PEM file paths of a throwaway PKI made at test time (nothing committed). */
export interface TestPki {
  dir: string
  /** The CA that signs the server and the client certificate. */
  caFile: string
  serverKeyFile: string
  /** Valid for 127.0.0.1 and localhost. */
  serverCertFile: string
  /** A client certificate (CN `GW-A`) signed by the CA. */
  clientKeyFile: string
  clientCertFile: string
  /** A second, unrelated CA and a client certificate it signed. */
  otherCaFile: string
  otherClientKeyFile: string
  otherClientCertFile: string
  remove: () => Promise<void>
}

async function openssl (cwd: string, args: string[]): Promise<void> {
  await run(OPENSSL, args, { cwd })
}

async function selfSignedCa (dir: string, name: string): Promise<void> {
  await openssl(dir, ['req', '-x509', ...NEW_KEY, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', `/CN=Gangwan test ${name}`])
}

/** Signs with `ca`; without -CAserial/-CAcreateserial OpenSSL 3 picks a random serial (no shared serial file). */
async function signed (dir: string, name: string, ca: string, subject: string, ext: string): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), `${ext}\n`)
  await openssl(dir, ['req', ...NEW_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject])
  await openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`])
}

/**
 * Generates a CA, a server certificate for 127.0.0.1 it signed, a client certificate it signed,
 * and a second CA with its own client certificate, with `/usr/bin/openssl` in a temp folder.
 */
export async function createTestPki (): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'gangwan-pki-'))
  await Promise.all([selfSignedCa(dir, 'ca'), selfSignedCa(dir, 'other-ca')])
  await Promise.all([
    signed(dir, 'server', 'ca', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'),
    signed(dir, 'client', 'ca', '/CN=GW-A', 'extendedKeyUsage=clientAuth'),
    signed(dir, 'other-client', 'other-ca', '/CN=GW-A', 'extendedKeyUsage=clientAuth')
  ])
  const f = (name: string): string => join(dir, name)
  return {
    dir,
    caFile: f('ca.pem'),
    serverKeyFile: f('server.key'),
    serverCertFile: f('server.pem'),
    clientKeyFile: f('client.key'),
    clientCertFile: f('client.pem'),
    otherCaFile: f('other-ca.pem'),
    otherClientKeyFile: f('other-client.key'),
    otherClientCertFile: f('other-client.pem'),
    remove: async () => { await rm(dir, { recursive: true, force: true }) }
  }
}
