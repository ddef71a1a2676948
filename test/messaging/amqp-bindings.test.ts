/**
 * The AsyncAPI amqp 0.3.0 channel binding read as a route (src/messaging/amqp-bindings.ts):
 * defaults, what is declared and what is not, refusals. Pure; the broker side is amqp.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amqpRoute } from '../../src/messaging/amqp-bindings.js';

test('no binding: the address is a routing key on amq.topic, nothing declared', () => {
  assert.deepEqual(amqpRoute('orders.placed', undefined, '/'), {
    kind: 'exchange',
    exchange: 'amq.topic',
    routingKey: 'orders.placed',
  });
  assert.deepEqual(amqpRoute('a', { mqtt: { qos: 1 } }, '/'), {
    kind: 'exchange',
    exchange: 'amq.topic',
    routingKey: 'a',
  });
});

test('is: queue names the queue (default: the address); flags written mean a declaration', () => {
  assert.deepEqual(amqpRoute('jobs', { amqp: { is: 'queue' } }, '/'), {
    kind: 'queue',
    queue: 'jobs',
  });
  assert.deepEqual(amqpRoute('jobs', { amqp: { queue: { name: 'q', durable: true } } }, '/'), {
    kind: 'queue',
    queue: 'q',
    declare: { durable: true, exclusive: false, autoDelete: false },
  });
});

test('an exchange is declared only when described, never amq.*; type default is the default exchange', () => {
  assert.deepEqual(amqpRoute('k', { amqp: { exchange: { name: 'ex' } } }, '/'), {
    kind: 'exchange',
    exchange: 'ex',
    routingKey: 'k',
  });
  assert.deepEqual(amqpRoute('k', { amqp: { exchange: { name: 'ex', type: 'fanout' } } }, '/'), {
    kind: 'exchange',
    exchange: 'ex',
    routingKey: 'k',
    declare: { type: 'fanout', durable: false, autoDelete: false },
  });
  assert.deepEqual(
    amqpRoute('k', { amqp: { exchange: { name: 'amq.direct', type: 'direct' } } }, '/'),
    { kind: 'exchange', exchange: 'amq.direct', routingKey: 'k' },
  );
  assert.deepEqual(amqpRoute('k', { amqp: { exchange: { type: 'default' } } }, '/'), {
    kind: 'queue',
    queue: 'k',
  });
});

test('malformed bindings and another vhost are refused in one line', () => {
  const refused = (bindings: Record<string, unknown>, vhost = '/'): string => {
    try {
      amqpRoute('ch', bindings, vhost);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };
  assert.equal(refused({ amqp: 'queue' }), 'the amqp binding of channel ch: is not an object');
  assert.equal(
    refused({ amqp: { exchange: { type: 'x-delayed' } } }),
    'the amqp binding of channel ch: exchange.type must be topic, direct, fanout, default or headers, not x-delayed',
  );
  assert.equal(
    refused({ amqp: { queue: { durable: 'yes' } } }),
    'the amqp binding of channel ch: queue.durable is not a boolean',
  );
  assert.equal(
    refused({ amqp: { queue: { vhost: '/' } } }, 'tenant'),
    'the amqp binding of channel ch: queue.vhost is /, but the server URL connects to vhost tenant',
  );
  assert.equal(refused({ amqp: { queue: { vhost: 'tenant' } } }, 'tenant'), 'accepted');
});
