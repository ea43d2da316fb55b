import { readFile } from 'node:fs/promises'
import { createSecureContext, type TlsOptions } from 'node:tls'
import { GangwanError } from '@gangwan/contracts'
import type { BrokerTlsConfig } from './config.ts'

async function readPem (what: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (err) {
    throw new GangwanError('GW_ERR_CONFIG_INVALID', `broker: cannot read the TLS ${what} file "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err })
  }
}

/**
 * Reads the listener's PEM files and checks them by building a secure context once, so a missing,
 * unreadable, malformed or mismatched key/certificate fails `start` with `GW_ERR_CONFIG_INVALID`
 * naming the file, instead of failing every handshake later.
 *
 * With a CA file, clients must present a certificate it signed (`requestCert` +
 * `rejectUnauthorized`: OpenSSL refuses the handshake otherwise); without one none is asked for.
 * `handshakeTimeoutMs` bounds the handshake as `connectTimeoutMs` bounds CONNECT.
 *
 * @example const options = await loadTlsOptions({ port: 8883, keyFile: 'key.pem', certFile: 'cert.pem' }, 10_000)
 */
export async function loadTlsOptions (tls: Readonly<BrokerTlsConfig>, handshakeTimeoutMs: number): Promise<TlsOptions> {
  const [key, cert, ca] = await Promise.all([
    readPem('key', tls.keyFile),
    readPem('certificate', tls.certFile),
    tls.caFile === undefined ? undefined : readPem('CA', tls.caFile)
  ])
  const options: TlsOptions = {
    key, cert, handshakeTimeout: handshakeTimeoutMs,
    ...(ca === undefined ? {} : { ca, requestCert: true, rejectUnauthorized: true })
  }
  try {
    createSecureContext(options)
  } catch (err) {
    const files = [tls.keyFile, tls.certFile, ...(tls.caFile === undefined ? [] : [tls.caFile])].map((f) => `"${f}"`).join(', ')
    throw new GangwanError('GW_ERR_CONFIG_INVALID', `broker: the TLS key, certificate or CA (${files}) is not usable: ${(err as Error).message}`, { cause: err })
  }
  return options
}
