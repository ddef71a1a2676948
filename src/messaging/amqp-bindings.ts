/**
 * Where an AMQP 0-9-1 message goes and where it is read from, from a channel's AsyncAPI `amqp`
 * channel binding (AsyncAPI bindings, amqp 0.3.0, "Channel Binding Object"). Pure: no I/O.
 *
 *   - `is: queue` (or a `queue` object and no `exchange`): the channel is a queue, named by
 *     `queue.name` or else the channel address. Send publishes through the default exchange
 *     with the queue's name as routing key (AMQP 0-9-1: the default exchange binds every queue
 *     by its name); receive consumes from that queue.
 *   - otherwise (`is: routingKey`, the binding's default): the address is the routing key on
 *     the exchange `exchange.name` (default `amq.topic`, the topic exchange every AMQP 0-9-1
 *     broker predeclares). Receive binds a server-named, exclusive, auto-delete queue with that
 *     key. `exchange.type: default` is the default exchange, which routes to the queue the key
 *     names: the same as `is: queue`.
 *
 * Declared is only what the binding describes: a queue or exchange whose flags (`durable`,
 * `exclusive`, `autoDelete`; exchange `type`) are written is declared with them, flags left out
 * taking the defaults of AMQP 0-9-1's `queue.declare` / `exchange.declare` (all bits clear);
 * one named without flags must already exist (a send checks a queue passively, so it is not
 * dropped unseen). The broker's own exchanges (`amq.*`) are never declared (RabbitMQ refuses it).
 * `vhost`, when written, must be the connection's (the URL's path): one connection is one vhost.
 */
import { ArazzoError } from '../errors.js';
import type { ChannelBindings } from './types.js';

export interface QueueDeclaration {
  readonly durable: boolean;
  readonly exclusive: boolean;
  readonly autoDelete: boolean;
}

export interface ExchangeDeclaration {
  readonly type: string;
  readonly durable: boolean;
  readonly autoDelete: boolean;
}

export type AmqpRoute =
  | { readonly kind: 'queue'; readonly queue: string; readonly declare?: QueueDeclaration }
  | {
      readonly kind: 'exchange';
      readonly exchange: string;
      readonly routingKey: string;
      readonly declare?: ExchangeDeclaration;
    };

const DEFAULT_EXCHANGE = 'amq.topic';
const EXCHANGE_TYPES = new Set(['topic', 'direct', 'fanout', 'default', 'headers']);

/** The route for `address` under `bindings.amqp`; `vhost` is the connection's. */
export function amqpRoute(
  address: string,
  bindings: ChannelBindings | undefined,
  vhost: string,
): AmqpRoute {
  const binding = bindings?.['amqp'];
  if (binding === undefined)
    return { kind: 'exchange', exchange: DEFAULT_EXCHANGE, routingKey: address };
  const fail = (what: string): ArazzoError =>
    new ArazzoError('REQUEST_INVALID', `the amqp binding of channel ${address}: ${what}`);
  if (!isObject(binding)) throw fail('is not an object');
  const is = binding['is'];
  if (is !== undefined && is !== 'queue' && is !== 'routingKey')
    throw fail(`is must be queue or routingKey, not ${JSON.stringify(is)}`);
  const queue = optionalObject(binding['queue'], 'queue', fail);
  const exchange = optionalObject(binding['exchange'], 'exchange', fail);
  for (const [part, value] of [
    ['queue', queue],
    ['exchange', exchange],
  ] as const) {
    const named = optionalString(value?.['vhost'], `${part}.vhost`, fail);
    if (named !== undefined && named !== vhost)
      throw fail(`${part}.vhost is ${named}, but the server URL connects to vhost ${vhost}`);
  }
  const type = optionalString(exchange?.['type'], 'exchange.type', fail);
  if (type !== undefined && !EXCHANGE_TYPES.has(type))
    throw fail(`exchange.type must be topic, direct, fanout, default or headers, not ${type}`);
  if (is === 'queue' || (is === undefined && queue !== undefined && exchange === undefined)) {
    const name = optionalString(queue?.['name'], 'queue.name', fail) ?? address;
    const flags = flagsOf(queue, ['durable', 'exclusive', 'autoDelete'], 'queue', fail);
    return {
      kind: 'queue',
      queue: name,
      ...(flags === undefined
        ? {}
        : {
            declare: {
              durable: flags['durable'] ?? false,
              exclusive: flags['exclusive'] ?? false,
              autoDelete: flags['autoDelete'] ?? false,
            },
          }),
    };
  }
  const name = optionalString(exchange?.['name'], 'exchange.name', fail);
  if (type === 'default' || name === '') return { kind: 'queue', queue: address };
  const exchangeName = name ?? DEFAULT_EXCHANGE;
  const flags = flagsOf(exchange, ['durable', 'autoDelete'], 'exchange', fail);
  const described = type !== undefined || flags !== undefined;
  return {
    kind: 'exchange',
    exchange: exchangeName,
    routingKey: address,
    ...(!described || exchangeName.startsWith('amq.')
      ? {}
      : {
          declare: {
            type: type ?? 'topic',
            durable: flags?.['durable'] ?? false,
            autoDelete: flags?.['autoDelete'] ?? false,
          },
        }),
  };
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalObject(
  value: unknown,
  name: string,
  fail: (what: string) => ArazzoError,
): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw fail(`${name} is not an object`);
  return value;
}

function optionalString(
  value: unknown,
  name: string,
  fail: (what: string) => ArazzoError,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw fail(`${name} is not a string`);
  return value;
}

/** The boolean flags written among `names`; undefined when none is. */
function flagsOf(
  value: Readonly<Record<string, unknown>> | undefined,
  names: readonly string[],
  part: string,
  fail: (what: string) => ArazzoError,
): Record<string, boolean> | undefined {
  let flags: Record<string, boolean> | undefined;
  for (const name of names) {
    const flag = value?.[name];
    if (flag === undefined) continue;
    if (typeof flag !== 'boolean') throw fail(`${part}.${name} is not a boolean`);
    (flags ??= {})[name] = flag;
  }
  return flags;
}
