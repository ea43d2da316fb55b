export { createModbusDeviceServer, type ModbusDeviceServer, type ModbusDeviceServerOptions, type ModbusServedUnit } from './create-modbus-device-server.ts'
export { serveCommunityModbus, type CommunityModbus, type ModbusDeviceAddress, type ServeCommunityModbusOptions } from './serve-community-modbus.ts'
