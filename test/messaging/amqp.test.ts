/**
 * The AMQP 0-9-1 transport against a real broker (Debian's rabbitmq-server, started once for
 * this file: test/_helpers/rabbitmq.ts): headers, content type and correlation id as message
 * properties; the AsyncAPI amqp channel binding's two forms (routing key on an exchange, queue).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectBroker, type MessageTransport } from '../../src/messaging/index.js';
import { amqpUnavailable, startRabbitMq, type AmqpBroker } from '../_helpers/rabbitmq.js';

const skip = amqpUnavailable();

describe('AMQP 0-9-1 transport', { skip }, () => {
  let broker: AmqpBroker;
  let transport: MessageTransport;
  before(async () => {
    broker = await startRabbitMq();
    if (broker.startMs > 0)
      console.log(`# rabbitmq-server accepted AMQP after ${broker.startMs} ms`);
    transport = await connectBroker({ url: broker.url });
  });
  after(async () => {
    await transport?.close();
    await broker?.close();
  });

  test('send → receive on amq.topic: payload, headers, content type and correlation id arrive as sent', async () => {
    const subscription = await transport.subscribe('orders.placed');
    await transport.publish({
      channel: 'orders.placed',
      headers: { 'x-trace': 't-1', orderCorrelationId: 'c-42' },
      payload: JSON.stringify({ petId: 7 }),
      contentType: 'application/json',
      correlationId: 'c-42',
    });
    const message = await subscription.take(() => true, 2000);
    await subscription.close();
    assert.deepEqual(message, {
      channel: 'orders.placed',
      headers: { 'x-trace': 't-1', orderCorrelationId: 'c-42' },
      payloadText: '{"petId":7}',
      payload: { petId: 7 },
      contentType: 'application/json',
      correlationId: 'c-42',
    });
  });
});
