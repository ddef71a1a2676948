/** The server URL schemes a transport here connects to (README, AsyncAPI transports). */
export const BROKER_SCHEMES: ReadonlySet<string> = new Set([
  'mqtt',
  'mqtts',
  'amqp',
  'amqps',
  'nats',
  'ws',
  'wss',
]);
