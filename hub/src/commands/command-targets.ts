import { GangwanError, topics, type Community } from '@gangwan/contracts'

/** Where a command goes: the topic it is published on and the one its acknowledgement must come back on. */
export interface CommandTarget {
  gatewayId: string
  deviceId?: string
  commandTopic: string
  ackTopic: string
}

/** The MQTT namespaces of a community that can take commands. */
export interface CommandTargets {
  /** Whether `gatewayId` owns a namespace: a gateway, or a device that connects directly (the gateway of itself). */
  has: (gatewayId: string) => boolean
  /** The target, or `GW_ERR_API_NOT_FOUND` for a namespace or a device behind it the community does not list. */
  resolve: (gatewayId: string, deviceId: string | undefined) => CommandTarget
}

/**
 * Resolves command targets from the community file (protocol §2, §9): a gateway's own commands go
 * to `gangwan/v1/{gw}/cmd`, a device's behind it to `gangwan/v1/{gw}/d/{dev}/cmd`. A device that
 * connects directly is addressed as a gateway (its id is its namespace) and takes commands on its
 * gateway-level topic; naming it again as `deviceId` is accepted and means the same.
 *
 * @example createCommandTargets(community).resolve('GW-B03', 'B03-F12-S01').commandTopic // 'gangwan/v1/GW-B03/d/B03-F12-S01/cmd'
 */
export function createCommandTargets (community: Community): CommandTargets {
  const namespaces = new Set<string>(community.gateways.map((g) => g.id))
  const behind = new Map<string, string>()
  for (const d of community.devices) {
    if (d.gateway === undefined) namespaces.add(d.id)
    else behind.set(d.id, d.gateway)
  }
  return {
    has: (gatewayId) => namespaces.has(gatewayId),
    resolve (gatewayId, deviceId) {
      if (!namespaces.has(gatewayId)) throw new GangwanError('GW_ERR_API_NOT_FOUND', `"${gatewayId}" is not a gateway or a directly connected device of the community`)
      if (deviceId === undefined || deviceId === gatewayId) {
        return { gatewayId, commandTopic: topics.gatewayCommand(gatewayId), ackTopic: topics.gatewayCommandAck(gatewayId) }
      }
      if (behind.get(deviceId) !== gatewayId) throw new GangwanError('GW_ERR_API_NOT_FOUND', `device "${deviceId}" is not behind "${gatewayId}"`)
      return { gatewayId, deviceId, commandTopic: topics.deviceCommand(gatewayId, deviceId), ackTopic: topics.deviceCommandAck(gatewayId, deviceId) }
    }
  }
}
