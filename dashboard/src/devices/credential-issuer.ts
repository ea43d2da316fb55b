/**
 * (Re-)issues the MQTT secret of a gateway or a device that connects directly. The hub implements
 * it over the broker's credential registry; the dashboard only calls it for admins.
 *
 * @example
 * const { id, secret } = await issuer.issue('GW-B01') // the old secret stops working now
 */
export interface CredentialIssuer {
  /**
   * A new random secret for `clientId`, replacing any previous one; returned this once (the
   * registry keeps a hash). Rejects with `GW_ERR_API_NOT_FOUND` for an id the community file does
   * not list as a gateway or a direct device.
   */
  issue: (clientId: string) => Promise<{ id: string; secret: string }>
}
