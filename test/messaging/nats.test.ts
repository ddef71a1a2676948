/**
 * The NATS transport against a real server (Debian's nats-server, test/_helpers/nats-server.ts):
 * headers as NATS headers, content type as a `content-type` header, correlation left to the
 * headers or payload; a message published after subscribing but before anyone waits is kept;
 * non-matching messages stay for the next taker; a receive that gets nothing ends at its
 * timeout; a queue group from the operation's bindings; permission refusals are errors, not
 * silence; a server that is down or refuses the credentials is one line that never shows them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isArazzoError } from '../../src/errors.js';
import { connectBroker, type MessageTransport } from '../../src/messaging/index.js';
import { freePort } from '../_helpers/mosquitto.js';
import { natsUnavailable, startNatsServer, type NatsServer } from '../_helpers/nats-server.js';

const skip = natsUnavailable();

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

describe('NATS transport', { skip }, () => {
  let server: NatsServer;
  let transport: MessageTransport;
  before(async () => {
    server = await startNatsServer();
    transport = await connectBroker({ url: server.url });
  });
  after(async () => {
    await transport.close();
    await server.close();
  });

  test('send → receive: JSON payload, headers and content type arrive as sent', async () => {
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
    // correlationId is not a NATS property: it is matched where the AsyncAPI message puts it.
    assert.deepEqual(message, {
      channel: 'orders.placed',
      headers: { 'x-trace': 't-1', orderCorrelationId: 'c-42' },
      payloadText: '{"petId":7}',
      payload: { petId: 7 },
      contentType: 'application/json',
    });
  });

  test('a message published after subscribing, before anyone waits, is kept; a non-matching one stays for the next', async () => {
    const subscription = await transport.subscribe('orders.confirmed');
    for (const id of ['other', 'mine'])
      await transport.publish({
        channel: 'orders.confirmed',
        headers: { 'x-correlation': id },
        payload: JSON.stringify({ id }),
      });
    const mine = await subscription.take((m) => m.headers['x-correlation'] === 'mine', 2000);
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
    const note = await subscription.take(() => true, 2000);
    assert.equal(note?.payload, 'hello');
    assert.equal(note?.contentType, 'text/plain');
    const started = performance.now();
    assert.equal(await subscription.take(() => true, 300), undefined);
    const waited = performance.now() - started;
    assert.ok(waited >= 290 && waited < 1500, `waited ${waited} ms`);
    await subscription.close();
  });

  test('closing the transport ends a pending take', async () => {
    const other = await connectBroker({ url: server.url });
    const subscription = await other.subscribe('quiet');
    const pending = subscription.take(() => true, 10_000);
    const started = performance.now();
    await other.close();
    assert.equal(await pending, undefined);
    assert.ok(performance.now() - started < 2000);
  });

  test('a queue group from the operation binding: each message goes to one member', async () => {
    const bindings = { nats: { queue: 'workers' } };
    const first = await transport.subscribe('jobs', bindings);
    const second = await transport.subscribe('jobs', bindings);
    for (const n of [1, 2, 3, 4])
      await transport.publish({ channel: 'jobs', headers: {}, payload: String(n) });
    const got: unknown[] = [];
    for (const subscription of [first, second])
      for (;;) {
        const message = await subscription.take(() => true, 100);
        if (message === undefined) break;
        got.push(message.payload);
      }
    assert.deepEqual(got.sort(), [1, 2, 3, 4]);
    await first.close();
    await second.close();
  });

  test('a subject the server refuses is an error, not a message lost in silence', async (t) => {
    if (!server.permissions) return t.skip('an external server has no permissions set up');
    const published = await failure(
      transport.publish({ channel: 'forbidden.orders', headers: {}, payload: '{}' }),
    );
    assert.ok(isArazzoError(published));
    assert.equal(published.code, 'BROKER_ERROR');
    assert.match(
      published.message,
      /could not publish to forbidden\.orders: permissions violation$/,
    );
    const subscribed = await failure(transport.subscribe('forbidden.orders'));
    assert.ok(isArazzoError(subscribed));
    assert.equal(subscribed.code, 'BROKER_ERROR');
    assert.match(subscribed.message, /could not subscribe to forbidden\.orders: /);
    assert.doesNotMatch(subscribed.message, /\n/);
    // The connection is still good for everything else.
    const subscription = await transport.subscribe('allowed');
    await transport.publish({ channel: 'allowed', headers: {}, payload: '1' });
    assert.equal((await subscription.take(() => true, 2000))?.payload, 1);
    await subscription.close();
  });

  test('credentials: accepted, and a refusal never shows them', async (t) => {
    if (process.env['ARAZZO_TEST_NATS_URL']) return t.skip('an external server has no test user');
    const ok = await connectBroker({
      url: server.url,
      username: server.user,
      password: server.password,
    });
    // The authenticated user shares the account: it hears what the anonymous one sends.
    const subscription = await ok.subscribe('shared');
    await transport.publish({ channel: 'shared', headers: {}, payload: '"hi"' });
    assert.equal((await subscription.take(() => true, 2000))?.payload, 'hi');
    await ok.close();

    const wrong = new URL(server.url);
    wrong.username = server.user;
    wrong.password = 'wrong-password-91c2';
    const error = await failure(connectBroker({ url: wrong.toString() }));
    assert.ok(isArazzoError(error));
    assert.equal(error.code, 'BROKER_UNREACHABLE');
    assert.equal(
      error.message,
      `NATS server ${server.url}: authorization violation (credentials refused)`,
    );

    const token = new URL(server.url);
    token.username = 'token-secret-55aa';
    const refused = await failure(connectBroker({ url: token.toString() }));
    assert.ok(isArazzoError(refused));
    assert.equal(refused.code, 'BROKER_UNREACHABLE');
    assert.doesNotMatch(refused.message, /token-secret/);
  });
});

test('a NATS server that is down is one line naming it, without credentials', async () => {
  const port = await freePort();
  const error = await failure(
    connectBroker({ url: `nats://user:s3cret@127.0.0.1:${port}`, timeoutMs: 2000 }),
  );
  assert.ok(isArazzoError(error));
  assert.equal(error.code, 'BROKER_UNREACHABLE');
  assert.equal(error.message, `NATS server nats://127.0.0.1:${port}: connection refused`);
});
