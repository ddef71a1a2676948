/**
 * The MQTT 5 transport against a real broker (Debian's mosquitto, test/_helpers/mosquitto.ts):
 * headers as user properties, content type, correlation data; a message published before anyone
 * waits is kept; non-matching messages stay for the next taker; a receive that gets nothing
 * ends at its timeout; a broker that is down or refuses the credentials is one line that never
 * shows them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isArazzoError } from '../../src/errors.js';
import { connectBroker, type MessageTransport } from '../../src/messaging/index.js';
import { brokerUnavailable, freePort, startBroker, type Broker } from '../_helpers/mosquitto.js';

const skip = brokerUnavailable();

describe('MQTT 5 transport', { skip }, () => {
  let broker: Broker;
  let transport: MessageTransport;
  before(async () => {
    broker = await startBroker();
    transport = await connectBroker({ url: broker.url });
  });
  after(async () => {
    await transport.close();
    await broker.close();
  });

  test('send → receive: payload, headers, content type and correlation id arrive as sent', async () => {
    const subscription = await transport.subscribe('orders/placed');
    await transport.publish({
      channel: 'orders/placed',
      headers: { 'x-trace': 't-1', orderCorrelationId: 'c-42' },
      payload: JSON.stringify({ petId: 7 }),
      contentType: 'application/json',
      correlationId: 'c-42',
    });
    const message = await subscription.take(() => true, 2000);
    await subscription.close();
    assert.deepEqual(message, {
      channel: 'orders/placed',
      headers: { 'x-trace': 't-1', orderCorrelationId: 'c-42' },
      payloadText: '{"petId":7}',
      payload: { petId: 7 },
      contentType: 'application/json',
      correlationId: 'c-42',
    });
  });

  test('a message published before anyone waits is kept; one that does not match stays for the next', async () => {
    const subscription = await transport.subscribe('orders/confirmed');
    for (const id of ['other', 'mine']) {
      await transport.publish({
        channel: 'orders/confirmed',
        headers: {},
        payload: JSON.stringify({ id }),
        correlationId: id,
      });
    }
    const mine = await subscription.take((m) => m.correlationId === 'mine', 2000);
    assert.deepEqual(mine?.payload, { id: 'mine' });
    const other = await subscription.take(() => true, 2000);
    assert.deepEqual(other?.payload, { id: 'other' });
    await subscription.close();
  });

  test('text stays text; a receive that gets nothing ends at its timeout', async () => {
    const subscription = await transport.subscribe('notes');
    await transport.publish({
      channel: 'notes',
      headers: {},
      payload: 'hello',
      contentType: 'text/plain',
    });
    assert.equal((await subscription.take(() => true, 2000))?.payload, 'hello');
    const started = performance.now();
    assert.equal(await subscription.take(() => true, 300), undefined);
    const waited = performance.now() - started;
    assert.ok(waited >= 290 && waited < 1500, `waited ${waited} ms`);
    await subscription.close();
  });

  test('credentials: accepted on the secured listener, a refusal never shows them', async (t) => {
    if (broker.securedUrl === undefined)
      return t.skip('an external broker has no secured listener');
    const secured = new URL(broker.securedUrl);
    const ok = await connectBroker({
      url: broker.securedUrl,
      username: broker.user,
      password: broker.password,
    });
    await ok.close();
    secured.username = broker.user;
    secured.password = 'wrong-password-91c2';
    const error = await connectBroker({ url: secured.toString() }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.ok(isArazzoError(error));
    assert.equal(error.code, 'BROKER_UNREACHABLE');
    assert.doesNotMatch(error.message, /wrong-password|arazzo-test/);
    assert.match(error.message, /^MQTT broker mqtt:\/\/127\.0\.0\.1:\d+: /);
  });
});

test('a broker that is down is one line naming it, without credentials', async () => {
  const port = await freePort();
  const error = await connectBroker({
    url: `mqtt://user:s3cret@127.0.0.1:${port}`,
    timeoutMs: 2000,
  }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(isArazzoError(error));
  assert.equal(error.code, 'BROKER_UNREACHABLE');
  assert.equal(error.message, `MQTT broker mqtt://127.0.0.1:${port}: connection refused`);
});

test('a protocol without a transport yet is refused in one line', async () => {
  const error = await connectBroker({ url: 'kafka://127.0.0.1:9092' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(isArazzoError(error));
  assert.equal(error.code, 'PROTOCOL_UNSUPPORTED');
  assert.equal(
    error.message,
    'kafka is not supported yet (broker kafka://127.0.0.1:9092); supported: mqtt, amqp, nats, ws',
  );
});
