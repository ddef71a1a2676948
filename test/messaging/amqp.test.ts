/**
 * The AMQP 0-9-1 transport against a real broker (Debian's rabbitmq-server, started once for
 * this file: test/_helpers/rabbitmq.ts): headers, content type and correlation id as message
 * properties; the AsyncAPI amqp channel binding's two forms (routing key on an exchange, queue);
 * a message published before anyone waits is kept; non-matching messages stay for the next
 * taker; a receive that gets nothing ends at its timeout; a broker that is down, refuses the
 * credentials or closes a channel is one line that never shows them, and no unhandled event.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { isArazzoError, type ArazzoError } from '../../src/errors.js';
import { connectBroker, displayUrl, type MessageTransport } from '../../src/messaging/index.js';
import { freePort } from '../_helpers/mosquitto.js';
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

  test('is: queue — send goes through the default exchange to the queue, which keeps it for a later receive', async () => {
    const bindings = {
      amqp: { is: 'queue', queue: { name: 'arazzo.jobs', durable: false, autoDelete: false } },
    };
    // Sent before anybody subscribed: the declared queue holds it (a routing key would drop it).
    await transport.publish({
      channel: 'jobs',
      headers: {},
      payload: 'run it',
      contentType: 'text/plain',
      bindings,
    });
    const subscription = await transport.subscribe('jobs', bindings);
    const message = await subscription.take(() => true, 2000);
    await subscription.close();
    assert.equal(message?.channel, 'jobs');
    assert.equal(message?.payload, 'run it');
    assert.equal(message?.contentType, 'text/plain');
  });

  test('a queue declared again with other flags: the broker refuses, in one line', async () => {
    const declare = (durable: boolean): Promise<void> =>
      transport.publish({
        channel: 'flags',
        headers: {},
        payload: '{}',
        bindings: { amqp: { is: 'queue', queue: { name: 'arazzo.flags', durable } } },
      });
    await declare(false);
    const error = await failure(declare(true));
    assert.equal(error.code, 'BROKER_ERROR');
    assert.match(
      error.message,
      /could not publish to queue arazzo\.flags: PRECONDITION_FAILED - .*durable.* \(406\)$/,
    );
  });

  test('a queue named without flags must exist: a send to a missing one is one line, not a silent drop', async () => {
    const error = await failure(
      transport.publish({
        channel: 'nobody-declared-this',
        headers: {},
        payload: '{}',
        bindings: { amqp: { is: 'queue' } },
      }),
    );
    assert.equal(error.code, 'BROKER_ERROR');
    assert.equal(
      error.message,
      `AMQP broker ${displayUrl(broker.url)}: could not publish to queue nobody-declared-this: NOT_FOUND - no queue 'nobody-declared-this' in vhost '/' (404)`,
    );
  });

  test('an exchange the binding describes is declared (type, flags) and routes by the address', async () => {
    const bindings = {
      amqp: {
        is: 'routingKey',
        exchange: { name: 'arazzo.events', type: 'direct', durable: false, autoDelete: true },
      },
    };
    const subscription = await transport.subscribe('pet.adopted', bindings);
    await transport.publish({ channel: 'pet.adopted', headers: {}, payload: '{"id":3}', bindings });
    const message = await subscription.take(() => true, 2000);
    await subscription.close();
    assert.deepEqual(message?.payload, { id: 3 });
    assert.equal(message?.channel, 'pet.adopted');
  });

  test('a message published after subscribe resolved, before anyone takes, is not lost', async () => {
    const subscription = await transport.subscribe('orders.shipped');
    await transport.publish({ channel: 'orders.shipped', headers: {}, payload: '{"n":1}' });
    // Let the delivery reach the client before anybody waits for it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const message = await subscription.take(() => true, 2000);
    await subscription.close();
    assert.deepEqual(message?.payload, { n: 1 });
  });

  test('a message take does not match stays for a later take', async () => {
    const subscription = await transport.subscribe('orders.confirmed');
    for (const id of ['other', 'mine']) {
      await transport.publish({
        channel: 'orders.confirmed',
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

  test('a take nothing matches resolves undefined at its timeout', async () => {
    const subscription = await transport.subscribe('orders.cancelled');
    await transport.publish({ channel: 'orders.cancelled', headers: {}, payload: '{}' });
    const started = performance.now();
    assert.equal(await subscription.take(() => false, 300), undefined);
    const waited = performance.now() - started;
    assert.ok(waited >= 290 && waited < 1000, `waited ${waited} ms`);
    await subscription.close();
  });

  test('received header values that are not strings arrive as text', async () => {
    const subscription = await transport.subscribe('typed.headers');
    // Another publisher may put numbers, booleans or bytes in the table: amqplib directly.
    const amqp = await import('amqplib');
    const model = await amqp.connect(broker.url);
    const channel = await model.createConfirmChannel();
    channel.publish('amq.topic', 'typed.headers', Buffer.from('x'), {
      headers: { count: 5, ok: true, raw: Buffer.from('bytes') },
      correlationId: 'typed',
    });
    await channel.waitForConfirms();
    await model.close();
    const message = await subscription.take(() => true, 2000);
    await subscription.close();
    assert.deepEqual(message?.headers, { count: '5', ok: 'true', raw: 'bytes' });
    assert.equal(message?.correlationId, 'typed');
  });

  test('publishing to an exchange that does not exist is BROKER_ERROR in one line; no unhandled event; the next send works', async () => {
    const unhandled: unknown[] = [];
    const record = (error: unknown): void => void unhandled.push(error);
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
    try {
      const error = await failure(
        transport.publish({
          channel: 'anything',
          headers: {},
          payload: '{}',
          bindings: { amqp: { exchange: { name: 'no-such-exchange' } } },
        }),
      );
      assert.equal(error.code, 'BROKER_ERROR');
      assert.match(
        error.message,
        /^AMQP broker amqp:\/\/127\.0\.0\.1:\d+: could not publish to exchange no-such-exchange with routing key anything: NOT_FOUND - no exchange 'no-such-exchange' in vhost '\/' \(404\)$/,
      );
      // The broker closed the publishing channel; the next send opens another.
      const subscription = await transport.subscribe('after.error');
      await transport.publish({ channel: 'after.error', headers: {}, payload: '"ok"' });
      assert.equal((await subscription.take(() => true, 2000))?.payload, 'ok');
      await subscription.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    }
    assert.deepEqual(unhandled, []);
  });

  test('a malformed binding is refused before anything is sent', async () => {
    const error = await failure(
      transport.publish({
        channel: 'x',
        headers: {},
        payload: '{}',
        bindings: { amqp: { is: 'stream' } },
      }),
    );
    assert.equal(error.code, 'REQUEST_INVALID');
    assert.equal(
      error.message,
      'the amqp binding of channel x: is must be queue or routingKey, not "stream"',
    );
  });

  test('credentials: options or URL user info; the vhost is the URL path; a refusal never shows them', async (t) => {
    if (broker.securedUrl === undefined || broker.vhostUrl === undefined)
      return t.skip('an external broker has no second user');
    // The second user on its own vhost, credentials as options.
    const own = await connectBroker({
      url: broker.vhostUrl,
      username: broker.user,
      password: broker.password,
    });
    const subscription = await own.subscribe('in.vhost');
    await own.publish({ channel: 'in.vhost', headers: {}, payload: '1' });
    assert.equal((await subscription.take(() => true, 2000))?.payload, 1);
    // A binding naming another vhost than the connection's is refused, not silently rerouted.
    const elsewhere = await failure(
      own.publish({
        channel: 'in.vhost',
        headers: {},
        payload: '1',
        bindings: { amqp: { exchange: { name: 'amq.topic', vhost: '/' } } },
      }),
    );
    assert.equal(elsewhere.code, 'REQUEST_INVALID');
    assert.match(
      elsewhere.message,
      /exchange\.vhost is \/, but the server URL connects to vhost arazzo-test$/,
    );
    await own.close();
    const guestThere = new URL(broker.url);
    guestThere.pathname = new URL(broker.vhostUrl).pathname;
    const notAllowed = await failure(connectBroker({ url: guestThere.toString() }));
    assert.equal(notAllowed.code, 'BROKER_UNREACHABLE');
    assert.match(
      notAllowed.message,
      /^AMQP broker amqp:\/\/127\.0\.0\.1:\d+\/arazzo-test: the broker refused vhost arazzo-test \(it does not exist, or the user may not use it\)$/,
    );

    const wrong = new URL(broker.securedUrl);
    wrong.username = broker.user;
    wrong.password = 'wrong-password-91c2';
    const refused = await failure(connectBroker({ url: wrong.toString() }));
    assert.equal(refused.code, 'BROKER_UNREACHABLE');
    assert.doesNotMatch(refused.message, /wrong-password|\n/);
    assert.match(refused.message, /^AMQP broker amqp:\/\/127\.0\.0\.1:\d+: ACCESS_REFUSED - /);

    // Right credentials in the URL: no error names them, whatever fails.
    const inUrl = new URL(broker.securedUrl);
    inUrl.username = broker.user;
    inUrl.password = broker.password;
    const transported = await connectBroker({ url: inUrl.toString() });
    const errors = [
      await failure(
        transported.publish({
          channel: 'x',
          headers: {},
          payload: '{}',
          bindings: { amqp: { exchange: { name: 'missing' } } },
        }),
      ),
      await failure(transported.subscribe('x', { amqp: { is: 'queue' } })),
    ];
    await transported.close();
    for (const error of errors) {
      assert.equal(error.code, 'BROKER_ERROR');
      assert.ok(!error.message.includes(broker.password), error.message);
      assert.ok(!error.message.includes(broker.user), error.message);
    }
  });

  test('close() ends a pending take at once', async () => {
    const own = await connectBroker({ url: broker.url });
    const subscription = await own.subscribe('never.sent');
    const started = performance.now();
    const pending = subscription.take(() => true, 10_000);
    await own.close();
    assert.equal(await pending, undefined);
    assert.ok(performance.now() - started < 2000);
  });
});

test('a broker that is down is BROKER_UNREACHABLE in one line naming it, without credentials', async () => {
  const port = await freePort();
  const error = await failure(
    connectBroker({ url: `amqp://user:s3cret@127.0.0.1:${port}`, timeoutMs: 2000 }),
  );
  assert.equal(error.code, 'BROKER_UNREACHABLE');
  assert.equal(error.message, `AMQP broker amqp://127.0.0.1:${port}: connection refused`);
});

test('a broker that never answers is BROKER_UNREACHABLE at the connect bound', async () => {
  // A listener that accepts the TCP connection and says nothing (no AMQP handshake).
  const sockets = new Set<Socket>();
  const server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const started = performance.now();
  const error = await failure(
    connectBroker({ url: `amqp://u:pw-4711@127.0.0.1:${port}`, timeoutMs: 300 }),
  );
  const waited = performance.now() - started;
  for (const socket of sockets) socket.destroy();
  server.close();
  assert.equal(error.code, 'BROKER_UNREACHABLE');
  assert.equal(error.message, `AMQP broker amqp://127.0.0.1:${port}: no answer within 300 ms`);
  assert.doesNotMatch(error.message, /pw-4711/);
  assert.ok(waited < 1500, `waited ${waited} ms`);
});

async function failure(promise: Promise<unknown>): Promise<ArazzoError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(isArazzoError(caught), `expected an ArazzoError, got ${String(caught)}`);
  assert.doesNotMatch(caught.message, /\n/);
  return caught;
}
