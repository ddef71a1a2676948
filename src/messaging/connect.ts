/**
 * A transport for a server URL, by its scheme. Protocols without a transport yet are refused
 * with one line (issue 15: "never a silent fallback").
 */
import { ArazzoError } from '../errors.js';
import { displayUrl } from './display-url.js';
import { connectAmqp } from './amqp-transport.js';
import { connectMqtt } from './mqtt-transport.js';
import { connectNats } from './nats-transport.js';
import { connectWebSocket } from './websocket-transport.js';
import type { ConnectOptions, MessageTransport } from './types.js';

const SUPPORTED = ['mqtt', 'amqp', 'nats', 'ws'];

export function connectBroker(options: ConnectOptions): Promise<MessageTransport> {
  let scheme: string;
  try {
    scheme = new URL(options.url).protocol.replace(/:$/, '');
  } catch {
    return Promise.reject(
      new ArazzoError(
        'BROKER_UNREACHABLE',
        `the broker URL ${displayUrl(options.url)} is not a URL`,
      ),
    );
  }
  if (scheme === 'mqtt' || scheme === 'mqtts') return connectMqtt(options);
  if (scheme === 'amqp' || scheme === 'amqps') return connectAmqp(options);
  if (scheme === 'nats') return connectNats(options);
  if (scheme === 'ws' || scheme === 'wss') return connectWebSocket(options);
  return Promise.reject(
    new ArazzoError(
      'PROTOCOL_UNSUPPORTED',
      `${scheme} is not supported yet (broker ${displayUrl(options.url)}); supported: ${SUPPORTED.join(', ')}`,
    ),
  );
}
