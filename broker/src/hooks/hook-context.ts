import type { Client } from 'aedes'
import type { Logger } from 'pino'
import type { PublishSink } from '@gangwan/contracts'
import type { BrokerConfig } from '../config.ts'
import type { Credential, CredentialStore } from '../credential-store.ts'
import type { BrokerMetrics, Refuse } from '../refusals.ts'

/** What the broker knows about a connection between its CONNECT and its close. */
export interface Session {
  /** CONNECT fields kept from preConnect for authenticate, which aedes gives only username and password. */
  clientId: string
  will: { topic: string, payload: Buffer | string } | undefined
  /** Set once authenticate succeeded. */
  credential?: Credential
}

/** Everything the aedes hooks share; each hook receives it instead of importing the broker. */
export interface HookContext {
  config: Readonly<BrokerConfig>
  log: Logger
  metrics: BrokerMetrics
  refuse: Refuse
  credentials: CredentialStore
  sink: PublishSink
  now: () => number
  sessions: WeakMap<Client, Session>
  /** True once stop() began: wills are then not published (the broker going down is not the device going offline). */
  stopping: () => boolean
}

/** The peer address of an aedes client's connection, for logs. */
export const remoteAddressOf = (client: Client | null): string | undefined =>
  (client?.conn as { remoteAddress?: string } | undefined)?.remoteAddress
