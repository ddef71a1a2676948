/**
 * `--check-responses` / `--strict` on AsyncAPI steps (POSITIONS §11.11): a send step's payload is
 * checked as built, before it is published, and a receive step's as received, against the
 * AsyncAPI message's JSON Schema payload; a payload in another schema format is said to be
 * unchecked. Through the CLI in this process, against a real MQTT 5 broker (Debian's mosquitto,
 * test/_helpers/mosquitto.ts), with a responder in the test. Fixture:
 * test/fixtures/run-async/payload-check/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connectBroker, type MessageTransport } from '../../src/messaging/index.js';
import { ROOT } from '../_helpers/cli.js';
import { runInProcess, type InProcessRun } from '../_helpers/cli-in-process.js';
import { brokerUnavailable, startBroker, type Broker } from '../_helpers/mosquitto.js';

const skip = brokerUnavailable();
const FIXTURE = join(ROOT, 'test/fixtures/run-async/payload-check/arazzo.yaml');

interface RunJson {
  readonly success: boolean;
  readonly outputs: Record<string, unknown>;
  readonly warnings?: readonly string[];
  readonly steps: readonly { stepId: string; success?: boolean; reasons?: readonly string[] }[];
}

/** Answers each order on checked/orders with `reply(order)` on checked/confirmations. */
async function startResponder(
  url: string,
  reply: (order: unknown) => unknown,
): Promise<{ stop(): Promise<void>; orders: unknown[] }> {
  const client: MessageTransport = await connectBroker({ url });
  const subscription = await client.subscribe('checked/orders');
  const orders: unknown[] = [];
  const stop = new AbortController();
  const loop = (async () => {
    while (!stop.signal.aborted) {
      const order = await subscription.take(() => true, 60_000, stop.signal);
      if (order === undefined) continue;
      orders.push(order.payload);
      await client.publish({
        channel: 'checked/confirmations',
        headers: { correlationId: order.headers['correlationId'] ?? '' },
        contentType: 'application/json',
        payload: JSON.stringify(reply(order.payload)),
      });
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

describe('message payloads against the AsyncAPI schemas', { skip }, () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker.close();
  });

  const order = (...extra: string[]): Promise<InProcessRun> =>
    runInProcess(
      'run',
      FIXTURE,
      '--json',
      '-w',
      'order',
      '--server',
      `orders=${broker.url}`,
      '--input',
      'correlationId=c-1',
      '--input',
      'petId=7',
      ...extra,
    );
  const confirmed = (): unknown => ({ status: 'confirmed', orderId: 'o-1' });

  test('payloads that match: no warning, with --strict too', async () => {
    const responder = await startResponder(broker.url, confirmed);
    try {
      const run = await order('--input', 'quantity=2', '--check-responses', '--strict');
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const result = JSON.parse(run.stdout) as RunJson;
      assert.deepEqual(result.outputs, { orderId: 'o-1' });
      assert.equal(result.warnings, undefined);
    } finally {
      await responder.stop();
    }
  });

  test('a sent payload that breaks the schema: a warning, the message still sent', async () => {
    const responder = await startResponder(broker.url, confirmed);
    try {
      const run = await order('--input', 'quantity=0', '--check-responses');
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const result = JSON.parse(run.stdout) as RunJson;
      assert.deepEqual(result.warnings, [
        'place: the payload sent on channel "orders" does not match the payload schema of message "order": payload/quantity must be >= 1',
      ]);
      assert.deepEqual(responder.orders, [{ petId: 7, quantity: 0 }]);
    } finally {
      await responder.stop();
    }
  });

  test('without --check-responses nothing is checked', async () => {
    const responder = await startResponder(broker.url, confirmed);
    try {
      const run = await order('--input', 'quantity=0');
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.equal((JSON.parse(run.stdout) as RunJson).warnings, undefined);
    } finally {
      await responder.stop();
    }
  });

  test('--strict: a sent payload that breaks the schema fails its step and is not sent', async () => {
    const responder = await startResponder(broker.url, confirmed);
    try {
      const run = await order('--input', 'quantity=0', '--check-responses', '--strict');
      assert.equal(run.code, 1, run.stderr + run.stdout);
      const result = JSON.parse(run.stdout) as RunJson;
      assert.equal(result.success, false);
      assert.deepEqual(
        result.steps.map((step) => step.stepId),
        ['place'],
      );
      assert.match(result.steps[0]?.reasons?.join('\n') ?? '', /payload\/quantity must be >= 1/);
      // Give a published order time to arrive: none must.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(responder.orders, []);
    } finally {
      await responder.stop();
    }
  });

  test('--strict: a received payload that breaks the schema fails the receive step', async () => {
    const responder = await startResponder(broker.url, () => ({
      status: 'confirmed',
      orderId: 42,
    }));
    try {
      const run = await order('--input', 'quantity=1', '--check-responses', '--strict');
      assert.equal(run.code, 1, run.stderr + run.stdout);
      const result = JSON.parse(run.stdout) as RunJson;
      const confirm = result.steps.find((step) => step.stepId === 'confirm');
      assert.deepEqual(confirm?.reasons, [
        'the payload received on channel "confirmations" does not match the payload schema of message "confirmation": payload/orderId must be string',
      ]);
      assert.equal(responder.orders.length, 1);
    } finally {
      await responder.stop();
    }
  });

  test('a payload in an Avro schema is said to be unchecked, and --strict does not fail it', async () => {
    const run = await runInProcess(
      'run',
      FIXTURE,
      '--json',
      '-w',
      'announce',
      '--server',
      `orders=${broker.url}`,
      '--check-responses',
      '--strict',
    );
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const result = JSON.parse(run.stdout) as RunJson;
    assert.deepEqual(result.warnings, [
      'event: the payload sent on channel "events" is not checked against message "orderEvent" (schemaFormat application/vnd.apache.avro;version=1.9.0): only JSON Schema payloads are checked',
    ]);
  });
});
