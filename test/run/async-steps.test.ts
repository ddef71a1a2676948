/**
 * Arazzo 1.1 AsyncAPI steps run end to end through the CLI (in this process, as bin.ts calls it)
 * against a real MQTT 5 broker (Debian's mosquitto, test/_helpers/mosquitto.ts), with a
 * responder in the test that answers orders like a real service would (POSITIONS §11.11).
 * One folder per case under test/fixtures/run-async/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBroker, type MessageTransport } from '../../src/messaging/index.js';
import { ROOT, runArazzo } from '../_helpers/cli.js';
import { runInProcess, type InProcessRun } from '../_helpers/cli-in-process.js';
import { brokerUnavailable, freePort, startBroker, type Broker } from '../_helpers/mosquitto.js';

const skip = brokerUnavailable();
const FIXTURES = join(ROOT, 'test/fixtures/run-async');

/** `arazzo run <args…>`, in this process. */
const arazzo = (...args: string[]): Promise<InProcessRun> => runInProcess('run', ...args);

/**
 * Answers each order on `orders/us` with a confirmation carrying its correlation header, after
 * first publishing one with another correlation id (which the receive step must ignore).
 */
async function startResponder(url: string): Promise<{ stop(): Promise<void>; orders: unknown[] }> {
  const client: MessageTransport = await connectBroker({ url });
  const subscription = await client.subscribe('orders/us');
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

describe('AsyncAPI steps over MQTT', { skip }, () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker.close();
  });

  test('send → receive round trip: correlation matched, the wrong one ignored, outputs from $message', async () => {
    const responder = await startResponder(broker.url);
    try {
      const run = await arazzo(
        join(FIXTURES, 'round-trip/arazzo.yaml'),
        '--json',
        '--server',
        `orders=${broker.url}`,
        '--input',
        'correlationId=c-42',
        '--input',
        'petId=7',
      );
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const result = JSON.parse(run.stdout) as {
        outputs: Record<string, unknown>;
        steps: { stepId: string; action?: string; channel?: string }[];
      };
      assert.deepEqual(result.outputs, {
        orderId: 'order-1',
        petId: 7,
        sentPetId: 7,
        sentHeader: 'c-42',
        correlation: 'c-42',
      });
      assert.deepEqual(
        result.steps.map((s) => `${s.stepId} ${s.action} ${s.channel}`),
        ['place send orders/us', 'confirm receive confirmations'],
      );
      // What the broker delivered: the parameters and the replacement applied.
      assert.deepEqual(responder.orders, [
        { headers: { correlationId: 'c-42' }, payload: { petId: 7, quantity: 1 } },
      ]);
    } finally {
      await responder.stop();
    }
  });

  test('the arazzo binary (the bundle, broker clients loaded from node_modules) runs the round trip', async () => {
    const responder = await startResponder(broker.url);
    try {
      const run = await runArazzo([
        'run',
        join(FIXTURES, 'round-trip/arazzo.yaml'),
        '--json',
        '--server',
        `orders=${broker.url}`,
        '--input',
        'correlationId=c-bin',
        '--input',
        'petId=4',
      ]);
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const result = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
      assert.equal(result.outputs['correlation'], 'c-bin');
    } finally {
      await responder.stop();
    }
  });

  test('the human output names the action and the channel of each step', async () => {
    const responder = await startResponder(broker.url);
    try {
      const run = await arazzo(
        join(FIXTURES, 'round-trip/arazzo.yaml'),
        '--server',
        `orders=${broker.url}`,
        '--input',
        'correlationId=c-7',
        '--input',
        'petId=3',
      );
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stdout, /✔ {2}place {2}send orders\/us {2}\d/);
      assert.match(run.stdout, /✔ {2}confirm {2}receive confirmations {2}\d/);
    } finally {
      await responder.stop();
    }
  });

  test('--verbose, --har and --junit show each message: server, channel, headers, payload', async (t) => {
    const responder = await startResponder(broker.url);
    const dir = await mkdtemp(join(tmpdir(), 'arazzo-async-reports-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    try {
      const run = await arazzo(
        join(FIXTURES, 'round-trip/arazzo.yaml'),
        '--verbose',
        '--har',
        join(dir, 'run.har'),
        '--junit',
        join(dir, 'junit.xml'),
        '--server',
        `orders=${broker.url}`,
        '--input',
        'correlationId=c-8',
        '--input',
        'petId=8',
      );
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.ok(run.stdout.includes(`→ send orders/us ${broker.url}`), run.stdout);
      assert.ok(run.stdout.includes('  correlationId: c-8'), run.stdout);
      assert.ok(run.stdout.includes('  {"petId":8,"quantity":1}'), run.stdout);
      assert.ok(run.stdout.includes(`← receive confirmations ${broker.url}`), run.stdout);
      assert.ok(run.stdout.includes('  {"status":"confirmed","orderId":"order-1","petId":8}'));

      const har = JSON.parse(await readFile(join(dir, 'run.har'), 'utf8')) as {
        log: { entries: unknown[]; _messages: Record<string, unknown>[] };
      };
      assert.deepEqual(har.log.entries, []);
      assert.deepEqual(
        har.log._messages.map(({ startedDateTime, ...message }) => {
          assert.ok(!Number.isNaN(Date.parse(String(startedDateTime))));
          return message;
        }),
        [
          {
            action: 'send',
            server: broker.url,
            channel: 'orders/us',
            headers: [{ name: 'correlationId', value: 'c-8' }],
            mimeType: 'application/json',
            text: '{"petId":8,"quantity":1}',
            _workflowId: 'order',
            _stepId: 'place',
          },
          {
            action: 'receive',
            server: broker.url,
            channel: 'confirmations',
            headers: [{ name: 'correlationId', value: 'c-8' }],
            mimeType: 'application/json',
            text: '{"status":"confirmed","orderId":"order-1","petId":8}',
            _workflowId: 'order',
            _stepId: 'confirm',
          },
        ],
      );
      const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
      assert.ok(junit.includes('<system-out>send orders/us</system-out>'), junit);
      assert.ok(junit.includes('<system-out>receive confirmations</system-out>'), junit);
    } finally {
      await responder.stop();
    }
  });

  test('a receive that gets no matching message fails at its timeout; onFailure end applies', async () => {
    const run = await arazzo(
      join(FIXTURES, 'receive-timeout/arazzo.yaml'),
      '--json',
      '--server',
      `orders=${broker.url}`,
    );
    assert.equal(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout) as {
      success: boolean;
      steps: { stepId: string; reasons?: string[] }[];
    };
    assert.equal(result.success, false);
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

  test('a broker that is down: one clear line naming it, exit 1, no stack trace', async () => {
    const port = await freePort();
    const run = await arazzo(
      join(FIXTURES, 'round-trip/arazzo.yaml'),
      '--server',
      `orders=mqtt://127.0.0.1:${port}`,
      '--input',
      'correlationId=c-1',
      '--input',
      'petId=1',
    );
    assert.equal(run.code, 1, run.stderr);
    const all = run.stdout + run.stderr;
    assert.match(all, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(all, /\n\s+at /);
    assert.equal(run.stderr, '');
    // The step's reason, repeated once in the summary of the failed workflow.
    const lines = run.stdout.split('\n').filter((line) => line.includes(`127.0.0.1:${port}`));
    assert.match(lines[0] ?? '', /^ {4}MQTT broker mqtt:\/\/127\.0\.0\.1:\d+: connection refused$/);
    assert.ok(lines.length <= 2, run.stdout);
  });

  test('an HTTP step, then a receive of the event it caused (published before the receive starts)', async () => {
    const publisher = await connectBroker({ url: broker.url });
    const server: Server = createServer((request, response) => {
      // The event is on the broker before the response, so before the receive step starts.
      void publisher
        .publish({
          channel: 'events/orders',
          headers: {},
          contentType: 'application/json',
          payload: JSON.stringify({ type: 'created', orderId: 'o-9' }),
        })
        .then(() => {
          response.writeHead(201, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ orderId: 'o-9' }));
        });
      request.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const run = await arazzo(
        join(FIXTURES, 'mixed-http/arazzo.yaml'),
        '--json',
        '--server',
        `shop=http://127.0.0.1:${port}`,
        '--server',
        `orders=${broker.url}`,
      );
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const result = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
      assert.deepEqual(result.outputs, { created: 'o-9', event: 'o-9' });
    } finally {
      server.close();
      await publisher.close();
    }
  });

  test('credentials in a --server URL appear in no output', async (t) => {
    if (broker.securedUrl === undefined)
      return t.skip('an external broker has no secured listener');
    const secured = new URL(broker.securedUrl);
    secured.username = broker.user;
    secured.password = broker.password;
    const responder = await startResponder(secured.toString());
    try {
      for (const json of [true, false]) {
        const run = await arazzo(
          join(FIXTURES, 'round-trip/arazzo.yaml'),
          ...(json ? ['--json'] : ['--verbose']),
          '--server',
          `orders=${secured.toString()}`,
          '--input',
          'correlationId=c-5',
          '--input',
          'petId=5',
        );
        assert.equal(run.code, 0, run.stderr + run.stdout);
        assert.ok(!(run.stdout + run.stderr).includes(broker.password));
      }
      // A refused password is one line that shows neither it nor the user info.
      const wrong = new URL(broker.securedUrl);
      wrong.username = broker.user;
      wrong.password = 'wrong-secret-93b1';
      const refused = await arazzo(
        join(FIXTURES, 'round-trip/arazzo.yaml'),
        '--server',
        `orders=${wrong.toString()}`,
        '--input',
        'correlationId=c-6',
        '--input',
        'petId=6',
      );
      assert.equal(refused.code, 1);
      assert.ok(!(refused.stdout + refused.stderr).includes('wrong-secret-93b1'));
    } finally {
      await responder.stop();
    }
  });
});

describe(
  'AsyncAPI security: --auth logs in to a broker whose server requires userPassword',
  { skip },
  () => {
    let broker: Broker;
    before(async () => {
      broker = await startBroker();
    });
    after(async () => {
      await broker.close();
    });
    const file = join(FIXTURES, 'broker-auth/arazzo.yaml');

    test('--auth <source>.<scheme>=user:password, or ARAZZO_AUTH_<SCHEME> with a bare --server; never shown', async (t) => {
      if (broker.securedUrl === undefined)
        return t.skip('an external broker has no secured listener');
      const login = `${broker.user}:${broker.password}`;
      const run = await arazzo(
        file,
        '--verbose',
        '--server',
        `echo=${broker.securedUrl}`,
        '--auth',
        `echo.brokerAuth=${login}`,
      );
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stdout, /✔ {2}receive {2}receive auth\/echo/);
      assert.ok(!(run.stdout + run.stderr).includes(broker.password));

      process.env['ARAZZO_AUTH_BROKER_AUTH'] = login;
      t.after(() => delete process.env['ARAZZO_AUTH_BROKER_AUTH']);
      const fromEnv = await arazzo(file, '--json', '--server', broker.securedUrl);
      assert.equal(fromEnv.code, 0, fromEnv.stderr + fromEnv.stdout);
      assert.deepEqual((JSON.parse(fromEnv.stdout) as { outputs: unknown }).outputs, {
        hello: 'broker',
      });
      assert.ok(!(fromEnv.stdout + fromEnv.stderr).includes(broker.password));
    });

    test('no login, a wrong one, or one not user:password: exit 1 in one line, no secret shown', async (t) => {
      if (broker.securedUrl === undefined)
        return t.skip('an external broker has no secured listener');
      const cases: [string[], RegExp][] = [
        [
          [],
          /MQTT broker mqtt:\/\/127\.0\.0\.1:\d+: connection refused: (not authorized|bad user name or password)/i,
        ],
        [
          ['--auth', `brokerAuth=${broker.user}:wrong-secret-5d1c`],
          /MQTT broker mqtt:\/\/127\.0\.0\.1:\d+: connection refused: (not authorized|bad user name or password)/i,
        ],
        [['--auth', 'brokerAuth=token-only-9e2f'], /must be user:password/],
      ];
      for (const [auth, reason] of cases) {
        const run = await arazzo(file, '--server', `echo=${broker.securedUrl}`, ...auth);
        assert.equal(run.code, 1, run.stderr + run.stdout);
        assert.match(run.stdout + run.stderr, reason);
        for (const secret of ['wrong-secret-5d1c', 'token-only-9e2f'])
          assert.ok(!(run.stdout + run.stderr).includes(secret), run.stdout + run.stderr);
      }
    });
  },
);

test('a source whose only server is kafka: one line saying kafka is not supported yet', async () => {
  const run = await arazzo(join(FIXTURES, 'kafka/arazzo.yaml'));
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /kafka is not supported yet/);
  assert.match(run.stdout, /--server orders=<url>/);
});
