/**
 * The MQTT round trip of async-steps.test.ts, over the other transports: AMQP 0-9-1 (a real
 * RabbitMQ, test/_helpers/rabbitmq.ts) and NATS (a real nats-server, test/_helpers/nats-server.ts),
 * through the same CLI path (`runCli`, in this process) with `--server orders=<broker url>`, and
 * a responder in the test that answers each order like a real service would. Then WebSockets
 * (a real `ws` server in this process that is the responder): a frame has no headers, so the
 * correlation id is in the payload (websocket-round-trip/), and a send with a header is refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  connectBroker,
  type ChannelBindings,
  type MessageTransport,
} from '../../src/messaging/index.js';
import { ROOT } from '../_helpers/cli.js';
import { runInProcess, type InProcessRun } from '../_helpers/cli-in-process.js';
import { amqpUnavailable, startRabbitMq } from '../_helpers/rabbitmq.js';
import { natsUnavailable, startNatsServer } from '../_helpers/nats-server.js';
import { freePort } from '../_helpers/mosquitto.js';

const FIXTURES = join(ROOT, 'test/fixtures/run-async');

/** `arazzo run <args…>`, in this process. */
const arazzo = (...args: string[]): Promise<InProcessRun> => runInProcess('run', ...args);

/**
 * Answers each order on `orders/us` with a confirmation carrying its correlation header, after
 * first publishing one with another correlation id (which the receive step must ignore).
 */
async function startResponder(
  url: string,
  bindings: { readonly orders?: ChannelBindings; readonly confirmations?: ChannelBindings } = {},
): Promise<{ stop(): Promise<void>; orders: unknown[] }> {
  const client: MessageTransport = await connectBroker({ url });
  const subscription = await client.subscribe('orders/us', bindings.orders);
  const orders: unknown[] = [];
  const stop = new AbortController();
  const loop = (async () => {
    while (!stop.signal.aborted) {
      const order = await subscription.take(() => true, 60_000, stop.signal);
      if (order === undefined) continue;
      orders.push({ headers: order.headers, payload: order.payload });
      const correlationId = order.headers['correlationId'] ?? '';
      const petId = (order.payload as { petId?: unknown }).petId;
      const reply = (id: string, orderId: string): Promise<void> =>
        client.publish({
          channel: 'confirmations',
          headers: { correlationId: id },
          contentType: 'application/json',
          payload: JSON.stringify({ status: 'confirmed', orderId, petId }),
          ...(bindings.confirmations === undefined ? {} : { bindings: bindings.confirmations }),
        });
      await reply(`not-${correlationId}`, 'wrong-order');
      await reply(correlationId, 'order-1');
    }
  })();
  return {
    orders,
    async stop() {
      stop.abort();
      await loop;
      await subscription.close();
      await client.close();
    },
  };
}

interface Server {
  /** Anonymous (or guest) access. */
  readonly url: string;
  /** The same server with the user and password in the URL's user info; undefined: none. */
  readonly authenticatedUrl?: string;
  readonly password: string;
  close(): Promise<void>;
}

function withCredentials(url: string, user: string, password: string): string {
  const authenticated = new URL(url);
  authenticated.username = user;
  authenticated.password = password;
  return authenticated.toString();
}

const PROTOCOLS: readonly {
  readonly name: string;
  readonly skip: string | undefined;
  readonly start: () => Promise<Server>;
}[] = [
  {
    name: 'AMQP 0-9-1 (RabbitMQ)',
    skip: amqpUnavailable(),
    start: async () => {
      const broker = await startRabbitMq();
      return {
        url: broker.url,
        ...(broker.securedUrl === undefined
          ? {}
          : { authenticatedUrl: withCredentials(broker.securedUrl, broker.user, broker.password) }),
        password: broker.password,
        close: () => broker.close(),
      };
    },
  },
  {
    name: 'NATS (nats-server)',
    skip: natsUnavailable(),
    start: async () => {
      const server = await startNatsServer();
      return {
        url: server.url,
        authenticatedUrl: withCredentials(server.url, server.user, server.password),
        password: server.password,
        close: () => server.close(),
      };
    },
  },
];

for (const protocol of PROTOCOLS) {
  describe(`AsyncAPI steps over ${protocol.name}`, { skip: protocol.skip }, () => {
    let server: Server;
    before(async () => {
      server = await protocol.start();
    });
    after(async () => {
      await server.close();
    });

    for (const authenticated of [false, true]) {
      test(`send → receive round trip${authenticated ? ' with credentials in the URL (shown nowhere)' : ''}: the real reply, not the wrong correlation`, async (t) => {
        const url = authenticated ? server.authenticatedUrl : server.url;
        if (url === undefined) return t.skip('an external server has no second user');
        const responder = await startResponder(url);
        try {
          const run = await arazzo(
            join(FIXTURES, 'round-trip/arazzo.yaml'),
            '--json',
            '--server',
            `orders=${url}`,
            '--input',
            'correlationId=c-42',
            '--input',
            'petId=7',
          );
          assert.equal(run.code, 0, run.stderr + run.stdout);
          const result = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
          assert.deepEqual(result.outputs, {
            orderId: 'order-1',
            petId: 7,
            sentPetId: 7,
            sentHeader: 'c-42',
            correlation: 'c-42',
          });
          assert.deepEqual(responder.orders, [
            { headers: { correlationId: 'c-42' }, payload: { petId: 7, quantity: 1 } },
          ]);
          if (authenticated) {
            assert.ok(!(run.stdout + run.stderr).includes(server.password), run.stdout);
            const human = await arazzo(
              join(FIXTURES, 'round-trip/arazzo.yaml'),
              '--server',
              `orders=${url}`,
              '--input',
              'correlationId=c-43',
              '--input',
              'petId=8',
            );
            assert.equal(human.code, 0, human.stderr + human.stdout);
            assert.ok(!(human.stdout + human.stderr).includes(server.password), human.stdout);
          }
        } finally {
          await responder.stop();
        }
      });
    }

    if (protocol.name.startsWith('AMQP'))
      test('two channels with one address and other bindings: two subscriptions, each receive gets its own message', async () => {
        const run = await arazzo(
          join(FIXTURES, 'amqp-two-bindings/arazzo.yaml'),
          '--json',
          '--server',
          `jobs=${server.url}`,
        );
        assert.equal(run.code, 0, run.stderr + run.stdout);
        const result = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
        assert.deepEqual(result.outputs, { queued: 'queue', routed: 'exchange' });
      });

    if (protocol.name.startsWith('AMQP'))
      test("the channels' amqp bindings apply: orders to a queue, confirmations from an exchange", async () => {
        // As the AsyncAPI document of the fixture binds them: a workflow that published to
        // amq.topic (no bindings) would reach no consumer of the queue, and time out.
        const responder = await startResponder(server.url, {
          orders: {
            amqp: {
              is: 'queue',
              queue: {
                name: 'arazzo.orders.us',
                durable: false,
                exclusive: false,
                autoDelete: false,
              },
            },
          },
          confirmations: {
            amqp: {
              is: 'routingKey',
              exchange: {
                name: 'arazzo.confirmations',
                type: 'topic',
                durable: false,
                autoDelete: false,
              },
            },
          },
        });
        try {
          const run = await arazzo(
            join(FIXTURES, 'amqp-bindings-round-trip/arazzo.yaml'),
            '--json',
            '--server',
            `orders=${server.url}`,
            '--input',
            'correlationId=c-9',
            '--input',
            'petId=9',
          );
          assert.equal(run.code, 0, run.stderr + run.stdout);
          const result = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
          assert.deepEqual(result.outputs, {
            orderId: 'order-1',
            petId: 9,
            sentPetId: 9,
            sentHeader: 'c-9',
            correlation: 'c-9',
          });
          assert.deepEqual(responder.orders, [
            { headers: { correlationId: 'c-9' }, payload: { petId: 9, quantity: 1 } },
          ]);
        } finally {
          await responder.stop();
        }
      });

    test('a receive that gets no matching message fails at its timeout', async () => {
      const run = await arazzo(
        join(FIXTURES, 'receive-timeout/arazzo.yaml'),
        '--json',
        '--server',
        `orders=${server.url}`,
      );
      assert.equal(run.code, 1, run.stderr);
      const result = JSON.parse(run.stdout) as { steps: { stepId: string; reasons?: string[] }[] };
      assert.deepEqual(
        result.steps.map((s) => s.stepId),
        ['confirm'],
      );
      assert.match(
        result.steps[0]?.reasons?.[0] ?? '',
        /no message with correlationId "never-sent" arrived on channel "confirmations" within 700 ms/,
      );
      assert.ok(run.wallMs >= 650, `ended after ${run.wallMs} ms`);
      assert.ok(run.wallMs < 700 + 1500, `ended after ${run.wallMs} ms`);
    });
  });
}

/**
 * A WebSocket service (`ws`, on a loopback port) answering each order frame that arrives on
 * `…/orders/us` with two frames to every connection on `…/confirmations`: first one with another
 * `orderRequestId`, then the real confirmation. Paths under `/secure/` need HTTP Basic.
 */
async function startWebSocketResponder(): Promise<{
  readonly url: string;
  readonly securedUrl: string;
  readonly password: string;
  readonly orders: unknown[];
  close(): Promise<void>;
}> {
  const user = 'arazzo-test';
  const password = 'ws-secret-81aa';
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const orders: unknown[] = [];
  const confirmations = new Set<WebSocket>();
  const http = createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = path.replace(/^\/secure/, '');
    if (path.startsWith('/secure/') && request.headers.authorization !== expected) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (route !== '/orders/us' && route !== '/confirmations') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (route === '/confirmations') {
        confirmations.add(ws);
        ws.on('close', () => confirmations.delete(ws));
        return;
      }
      ws.on('message', (data) => {
        const order = JSON.parse((data as Buffer).toString('utf8')) as {
          orderRequestId?: unknown;
          petId?: unknown;
        };
        orders.push(order);
        const reply = (orderRequestId: string, orderId: string): string =>
          JSON.stringify({ status: 'confirmed', orderRequestId, orderId, petId: order.petId });
        const id = String(order.orderRequestId);
        for (const client of confirmations) {
          client.send(reply(`not-${id}`, 'wrong-order'));
          client.send(reply(id, 'order-1'));
        }
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    securedUrl: withCredentials(`ws://127.0.0.1:${port}/secure`, user, password),
    password,
    orders,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

describe('AsyncAPI steps over WebSockets (correlation in the payload)', () => {
  let server: Awaited<ReturnType<typeof startWebSocketResponder>>;
  before(async () => {
    server = await startWebSocketResponder();
  });
  after(async () => {
    await server.close();
  });

  for (const authenticated of [false, true]) {
    test(`send → receive round trip${authenticated ? ' with credentials in the URL (shown nowhere)' : ''}: the real reply, not the wrong correlation`, async () => {
      const url = authenticated ? server.securedUrl : server.url;
      server.orders.length = 0;
      for (const json of [true, false]) {
        const run = await arazzo(
          join(FIXTURES, 'websocket-round-trip/arazzo.yaml'),
          ...(json ? ['--json'] : []),
          '--server',
          `orders=${url}`,
          '--input',
          'correlationId=c-42',
          '--input',
          'petId=7',
        );
        assert.equal(run.code, 0, run.stderr + run.stdout);
        assert.ok(!(run.stdout + run.stderr).includes(server.password), run.stdout);
        if (!json) continue;
        const result = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
        assert.deepEqual(result.outputs, {
          orderId: 'order-1',
          petId: 7,
          sentPetId: 7,
          correlation: 'c-42',
        });
      }
      assert.deepEqual(server.orders, [
        { orderRequestId: 'c-42', petId: 7, quantity: 1 },
        { orderRequestId: 'c-42', petId: 7, quantity: 1 },
      ]);
    });
  }

  test('a send with a header parameter is refused: the step fails in one line, nothing is sent', async () => {
    server.orders.length = 0;
    const run = await arazzo(
      join(FIXTURES, 'round-trip/arazzo.yaml'),
      '--server',
      `orders=${server.url}`,
      '--input',
      'correlationId=c-1',
      '--input',
      'petId=1',
    );
    assert.equal(run.code, 1, run.stderr + run.stdout);
    assert.equal(run.stderr, '');
    assert.doesNotMatch(run.stdout, /\n\s+at /);
    const lines = run.stdout.split('\n').filter((line) => line.includes('no headers'));
    assert.match(
      lines[0] ?? '',
      /^ {4}WebSocket server ws:\/\/127\.0\.0\.1:\d+: cannot send to orders\/us: a WebSocket message has no headers \(only the handshake has\), so correlationId would be lost$/,
    );
    assert.ok(lines.length <= 2, run.stdout);
    assert.doesNotMatch(run.stdout, /confirm/);
    assert.deepEqual(server.orders, []);
  });

  test('a receive that gets no matching message fails at its timeout', async () => {
    const run = await arazzo(
      join(FIXTURES, 'websocket-receive-timeout/arazzo.yaml'),
      '--json',
      '--server',
      `orders=${server.url}`,
    );
    assert.equal(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout) as { steps: { stepId: string; reasons?: string[] }[] };
    assert.match(
      result.steps[0]?.reasons?.[0] ?? '',
      /no message with correlationId "never-sent" arrived on channel "confirmations" within 700 ms/,
    );
    assert.ok(run.wallMs >= 650, `ended after ${run.wallMs} ms`);
    assert.ok(run.wallMs < 700 + 1500, `ended after ${run.wallMs} ms`);
  });
});

// Issue 15, done when: for each protocol, a broker that is down gives one clear line and exit 1
// (MQTT: async-steps.test.ts). Nothing listens on the port: no broker needs to be installed.
for (const [scheme, fixture] of [
  ['amqp', 'round-trip'],
  ['nats', 'round-trip'],
  ['ws', 'websocket-round-trip'],
] as const) {
  test(`a broker that is down (${scheme}://): one line naming it, exit 1, no stack trace`, async () => {
    const port = await freePort();
    const run = await arazzo(
      join(FIXTURES, `${fixture}/arazzo.yaml`),
      '--server',
      `orders=${scheme}://me:pw-down-3c1a@127.0.0.1:${port}`,
      '--input',
      'correlationId=c-1',
      '--input',
      'petId=1',
    );
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const all = run.stdout + run.stderr;
    assert.doesNotMatch(all, /\n\s+at /);
    assert.ok(!all.includes('pw-down-3c1a'), all);
    const lines = all.split('\n').filter((line) => line.includes(`127.0.0.1:${port}`));
    assert.ok(lines.length >= 1 && lines.length <= 2, all);
    assert.match(lines[0] ?? '', /refused|unreachable|cannot connect|ECONNREFUSED/i);
  });
}
