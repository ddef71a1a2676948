/**
 * The WebSocket transport against a real server (`ws`'s WebSocketServer, in-process on a loopback
 * port: test/_helpers/websocket-server.ts): the channel address is a path under the server URL's,
 * one connection per channel shared by send and receive; a frame published after subscribing but
 * before anyone waits is kept; non-matching messages stay for the next taker; a receive that gets
 * nothing ends at its timeout; a send with headers is refused (a frame has none); the ws channel
 * binding's query and headers apply at the handshake; Basic credentials never show in an error.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isArazzoError } from '../../src/errors.js';
import { connectBroker, type MessageTransport } from '../../src/messaging/index.js';
import { freePort } from '../_helpers/mosquitto.js';
import { startWebSocketServer, type TestWebSocketServer } from '../_helpers/websocket-server.js';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

describe('WebSocket transport', () => {
  let server: TestWebSocketServer;
  let transport: MessageTransport;
  before(async () => {
    server = await startWebSocketServer();
    transport = await connectBroker({ url: server.url });
  });
  after(async () => {
    await transport.close();
    await server.close();
  });

  test('send → receive on one channel: a JSON text frame comes back as sent', async () => {
    const subscription = await transport.subscribe('/echo');
    await transport.publish({
      channel: '/echo',
      headers: {},
      payload: JSON.stringify({ petId: 7 }),
      // Not carried: a frame has no place for it.
      contentType: 'application/json',
    });
    const message = await subscription.take(() => true, 2000);
    await subscription.close();
    assert.deepEqual(message, {
      channel: '/echo',
      headers: {},
      payloadText: '{"petId":7}',
      payload: { petId: 7 },
    });
  });

  test('a frame that arrives after subscribing, before anyone waits, is kept; a non-matching one stays for the next', async () => {
    const subscription = await transport.subscribe('/echo');
    for (const id of ['other', 'mine'])
      await transport.publish({ channel: '/echo', headers: {}, payload: JSON.stringify({ id }) });
    // Both echoes are in before the first take.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const mine = await subscription.take((m) => (m.payload as { id?: string }).id === 'mine', 2000);
    assert.deepEqual(mine?.payload, { id: 'mine' });
    const other = await subscription.take(() => true, 2000);
    assert.deepEqual(other?.payload, { id: 'other' });
    await subscription.close();
  });

  test('bytes go as a binary frame; text stays text; a receive that gets nothing ends at its timeout', async () => {
    const subscription = await transport.subscribe('/echo');
    await transport.publish({
      channel: '/echo',
      headers: {},
      payload: new TextEncoder().encode('raw bytes'),
    });
    assert.equal((await subscription.take(() => true, 2000))?.payloadText, 'raw bytes');
    await transport.publish({ channel: '/echo', headers: {}, payload: 'hello' });
    assert.equal((await subscription.take(() => true, 2000))?.payload, 'hello');
    const started = performance.now();
    assert.equal(await subscription.take(() => true, 300), undefined);
    const waited = performance.now() - started;
    assert.ok(waited >= 290 && waited < 1500, `waited ${waited} ms`);
    await subscription.close();
  });

  test('a send with headers is refused, naming them, and nothing is sent', async () => {
    const subscription = await transport.subscribe('/echo');
    const error = await failure(
      transport.publish({
        channel: '/echo',
        headers: { 'x-trace': 't-1', orderId: '42' },
        payload: '{}',
      }),
    );
    assert.ok(isArazzoError(error));
    assert.equal(error.code, 'BROKER_ERROR');
    assert.equal(
      error.message,
      `WebSocket server ${server.url}: cannot send to /echo: a WebSocket message has no headers (only the handshake has), so x-trace, orderId would be lost`,
    );
    assert.equal(await subscription.take(() => true, 200), undefined);
    await subscription.close();
  });

  test("the server URL's path, then the channel address; the ws binding's query and headers at the handshake", async () => {
    const other = await connectBroker({ url: `${server.url}/api/v1/` });
    const bindings = {
      ws: {
        method: 'GET',
        query: {
          type: 'object',
          properties: {
            room: { type: 'string', const: 'lobby' },
            limit: { type: 'integer', default: 10 },
            free: { type: 'string' },
          },
        },
        headers: {
          type: 'object',
          properties: { 'x-client': { type: 'string', enum: ['arazzo'] } },
        },
      },
    };
    const subscription = await other.subscribe('handshake?lang=en', bindings);
    const first = await subscription.take(() => true, 2000);
    assert.deepEqual(first?.payload, {
      path: '/api/v1/handshake',
      query: { lang: 'en', room: 'lobby', limit: '10' },
      headers: { 'x-client': 'arazzo' },
    });
    // The same channel is the same connection: a send on it is echoed to this subscription.
    await other.publish({ channel: 'handshake?lang=en', headers: {}, payload: 'again' });
    assert.equal((await subscription.take(() => true, 2000))?.payload, 'again');
    await subscription.close();

    const post = await failure(other.subscribe('/echo', { ws: { method: 'POST' } }));
    assert.ok(isArazzoError(post));
    assert.equal(post.code, 'BROKER_ERROR');
    assert.match(
      post.message,
      /could not open \/echo: the ws binding's method "POST" is not supported/,
    );
    await other.close();
  });

  test('when the server closes a channel, what arrived stays and the next send opens a new connection', async () => {
    const subscription = await transport.subscribe('/once');
    await transport.publish({ channel: '/once', headers: {}, payload: '1' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await subscription.take(() => true, 2000))?.payload, 1);
    const again = await transport.subscribe('/once');
    await transport.publish({ channel: '/once', headers: {}, payload: '2' });
    assert.equal((await again.take(() => true, 2000))?.payload, 2);
    await subscription.close();
    await again.close();
  });

  test('a path the server does not serve is a refused handshake, in one line', async () => {
    const error = await failure(transport.subscribe('/nowhere'));
    assert.ok(isArazzoError(error));
    assert.equal(error.code, 'BROKER_UNREACHABLE');
    assert.equal(
      error.message,
      `WebSocket server ${server.url}: could not open /nowhere: the handshake was refused with HTTP 404`,
    );
  });

  test('Basic credentials: accepted from the URL or the options; a refusal never shows them', async () => {
    const secured = new URL(server.url);
    secured.username = server.user;
    secured.password = server.password;
    const fromUrl = await connectBroker({ url: secured.toString() });
    const subscription = await fromUrl.subscribe('/secure/echo');
    await fromUrl.publish({ channel: '/secure/echo', headers: {}, payload: '"ok"' });
    assert.equal((await subscription.take(() => true, 2000))?.payload, 'ok');
    await fromUrl.close();

    const fromOptions = await connectBroker({
      url: server.url,
      username: server.user,
      password: server.password,
    });
    await (await fromOptions.subscribe('/secure/echo')).close();
    await fromOptions.close();

    secured.password = 'wrong-password-91c2';
    const wrong = await connectBroker({ url: secured.toString() });
    const error = await failure(wrong.subscribe('/secure/echo'));
    await wrong.close();
    assert.ok(isArazzoError(error));
    assert.equal(error.code, 'BROKER_UNREACHABLE');
    assert.equal(
      error.message,
      `WebSocket server ${server.url}: could not open /secure/echo: the handshake was refused with HTTP 401`,
    );
    assert.doesNotMatch(error.message, /wrong-password|arazzo-test/);
  });
});

test('a WebSocket server that is down is one line naming it, without credentials', async () => {
  const port = await freePort();
  const transport = await connectBroker({
    url: `ws://user:s3cret@127.0.0.1:${port}`,
    timeoutMs: 2000,
  });
  const error = await failure(transport.publish({ channel: '/echo', headers: {}, payload: 'x' }));
  await transport.close();
  assert.ok(isArazzoError(error));
  assert.equal(error.code, 'BROKER_UNREACHABLE');
  assert.equal(
    error.message,
    `WebSocket server ws://127.0.0.1:${port}: could not open /echo: connection refused`,
  );
});
