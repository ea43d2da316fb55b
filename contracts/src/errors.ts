/**
 * Every coded error of the project, one table so codes stay unique (a test checks it).
 * Codes are `GW_ERR_<AREA>_<WHAT>`; the text is the default message.
 */
export const ERROR_CODES = {
  GW_ERR_CONFIG_INVALID: 'configuration is invalid',
  GW_ERR_COMMUNITY_INVALID: 'community file is invalid',
  GW_ERR_COMMUNITY_UNREADABLE: 'community file cannot be read',
  GW_ERR_AUTH_BAD_CREDENTIALS: 'bad username or password',
  GW_ERR_AUTH_CLIENT_ID_MISMATCH: 'client id is not bound to this credential',
  GW_ERR_ACL_PUBLISH_DENIED: 'publish outside the client namespace',
  GW_ERR_ACL_SUBSCRIBE_DENIED: 'subscribe outside the client command topics',
  GW_ERR_MQTT_PAYLOAD_TOO_LARGE: 'payload exceeds the size limit',
  GW_ERR_MQTT_MALFORMED: 'malformed MQTT packet',
  GW_ERR_MQTT_TOPIC_TOO_DEEP: 'topic has more levels than allowed',
  GW_ERR_MQTT_KEEPALIVE_TOO_LONG: 'keepalive is zero or exceeds the limit',
  GW_ERR_MQTT_CONNECT_TIMEOUT: 'CONNECT did not arrive in time',
  GW_ERR_MQTT_RATE_LIMITED: 'connection or packet rate limit exceeded',
  GW_ERR_MQTT_UNSUPPORTED_PROTOCOL: 'unsupported MQTT protocol version',
  GW_ERR_MQTT_TLS_HANDSHAKE: 'the TLS handshake failed',
  GW_ERR_BROKER_SINK_FAILED: 'ingest could not make the message durable',
  GW_ERR_INGEST_BAD_JSON: 'payload is not JSON',
  GW_ERR_INGEST_SCHEMA: 'payload does not match its schema',
  GW_ERR_INGEST_UNKNOWN_DEVICE: 'device is not in the registry',
  GW_ERR_INGEST_KIND_MISMATCH: 'payload kind differs from the registered device kind',
  GW_ERR_INGEST_UNAVAILABLE: 'ingest cannot make the message durable (stopped or journal failure)',
  GW_ERR_EDGE_BAD_JSON: 'edge agent: payload from a local device is not JSON',
  GW_ERR_EDGE_SCHEMA: 'edge agent: payload from a local device does not match its schema',
  GW_ERR_EDGE_UNKNOWN_DEVICE: 'edge agent: device is not configured behind this gateway',
  GW_ERR_EDGE_KIND_MISMATCH: 'edge agent: payload kind differs from the configured device kind',
  GW_ERR_EDGE_TOPIC_DENIED: 'edge agent: publish outside this gateway\'s device topics',
  GW_ERR_EDGE_SPOOL_FULL: 'edge agent: spool full, oldest low-priority reading dropped',
  GW_ERR_EDGE_SPOOL_FAILED: 'edge agent: the spool could not make a reading durable',
  GW_ERR_EDGE_UPLINK_DOWN: 'edge agent: the uplink to the hub is down',
  GW_ERR_EDGE_COMMAND_INVALID: 'edge agent: command is invalid or unknown',
  GW_ERR_INFLUX_UNAVAILABLE: 'InfluxDB is unavailable',
  GW_ERR_INFLUX_REJECTED: 'InfluxDB rejected a write',
  GW_ERR_INFLUXD_MISSING: 'influxd is not installed',
  GW_ERR_PORT_IN_USE: 'port is in use',
  GW_ERR_MODEL_LOAD_FAILED: 'an anomaly model could not be loaded',
  GW_ERR_MODEL_CONTRACT: 'an anomaly model does not match the documented input/output contract',
  GW_ERR_QUEUE_UNAVAILABLE: 'the dispatch queue cannot store alerts',
  GW_ERR_QUEUE_INVALID_ALERT: 'alert does not match its schema',
  GW_ERR_ANALYTICS_WARMUP_FAILED: 'analytics could not replay recent telemetry at start',
  GW_ERR_ANALYTICS_WORKER_DIED: 'the analytics worker thread died and is restarted',
  GW_ERR_SCENARIO_INVALID: 'scenario file is invalid',
  GW_ERR_DISPATCH_NOT_FOUND: 'no such incident',
  GW_ERR_DISPATCH_INVALID_TRANSITION: 'this action is not allowed in the incident\'s current status',
  GW_ERR_DISPATCH_STALE: 'the incident changed since the version given',
  GW_ERR_DISPATCH_INVALID_ACTION: 'the action or its arguments are invalid',
  GW_ERR_DISPATCH_NO_ROUTE: 'no department matches the incident',
  GW_ERR_DISPATCH_STORE_UNAVAILABLE: 'the incident store is unavailable',
  GW_ERR_API_UNAUTHENTICATED: 'log in or present an API token',
  GW_ERR_API_FORBIDDEN: 'your role may not do this',
  GW_ERR_API_BAD_REQUEST: 'the request does not match the API schema',
  GW_ERR_API_NOT_FOUND: 'no such resource',
  GW_ERR_API_CONFLICT: 'the resource already exists',
  GW_ERR_API_INTERNAL: 'internal error',
  GW_ERR_AUTH_STORE_UNAVAILABLE: 'the user and session store is unavailable',
  GW_ERR_COMMAND_INVALID: 'the command\'s arguments are invalid for its name',
  GW_ERR_COMMAND_UNAVAILABLE: 'commands cannot be sent now (the broker is not running)'
} as const

/** One of the project's error codes. */
export type ErrorCode = keyof typeof ERROR_CODES

/**
 * An error carrying a stable `code` from {@link ERROR_CODES}.
 *
 * @example throw new GangwanError('GW_ERR_COMMUNITY_INVALID', 'devices.3.gateway: unknown gateway "GW-9"')
 */
export class GangwanError extends Error {
  readonly code: ErrorCode
  constructor (code: ErrorCode, message?: string, options?: ErrorOptions) {
    super(message ?? ERROR_CODES[code], options)
    this.name = 'GangwanError'
    this.code = code
  }
}
