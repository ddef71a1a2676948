import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDocument, runWorkflow, type RunEvent } from '../../src/index.js';
import { systemClock } from '../../src/runtime/clock.js';
import { ROOT } from '../_helpers/cli.js';
import { startScriptServer } from '../_helpers/script-server.js';
import { VirtualClock } from '../_helpers/virtual-clock.js';

// RunOptions.clock: every time read, wait and the deadline of a run go through it.

const POLL = join(ROOT, 'test/fixtures/run/poll-paced/arazzo.yaml');
const OAUTH_POLL = join(ROOT, 'test/fixtures/runtime/oauth2-poll.arazzo.yaml');

test('the run deadline counts the waits on the run clock, not the wall clock', async () => {
  const server = await startScriptServer({ 'GET /status': { body: { status: 'running' } } });
  const clock = new VirtualClock();
  const events: RunEvent[] = [];
  const started = performance.now();
  try {
    const result = await runWorkflow(await openDocument(POLL), {
      servers: { api: server.url },
      pollIntervalMs: 1000,
      timeoutMs: 2500,
      clock,
      onEvent: (event) => events.push(event),
    });
    const wall = performance.now() - started;
    assert.equal(result.error?.code, 'RUN_TIMEOUT', JSON.stringify(result.error));
    // Polls at 0, 1000 and 2000 ms of run time; the deadline (2500 ms from the run's start,
    // which is before the first step's) ends the third wait.
    assert.equal(server.requests.length, 3);
    assert.deepEqual(clock.waits, [1000, 1000, 1000]);
    assert.ok(result.durationMs >= 2400 && result.durationMs < 2900, `${result.durationMs} ms`);
    assert.ok(wall < 2000, `took ${wall.toFixed(0)} ms of wall time`);
    const waits = events.filter((e) => e.type === 'poll-wait').map((e) => e.delayMs);
    assert.deepEqual(waits, [1000, 1000, 1000]);
    // A step's duration leaves out the pacing before it, on the same clock.
    const record = result.steps[0];
    assert.equal(record?.executions, 3);
    assert.ok(record !== undefined && record.durationMs < 1000, `${record?.durationMs} ms`);
  } finally {
    await server.close();
  }
});

test('an OAuth2 token expires on the run clock: a long poll fetches a new one', async () => {
  const server = await startScriptServer({
    // expires_in 60 s, renewed 30 s early (oauth2.ts margin: at most half the lifetime).
    'POST /oauth/token': [
      { body: { access_token: 'tok-1', token_type: 'Bearer', expires_in: 60 } },
      { body: { access_token: 'tok-2', token_type: 'Bearer', expires_in: 60 } },
    ],
    'GET /secure': [
      { body: { status: 'running' } },
      { body: { status: 'running' } },
      { body: { status: 'running' } },
      { body: { status: 'done' } },
    ],
  });
  const started = performance.now();
  try {
    const result = await runWorkflow(await openDocument(OAUTH_POLL), {
      servers: { api: server.url },
      credentials: { clientCredentials: 'id:secret' },
      pollIntervalMs: 20_000,
      clock: new VirtualClock(),
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    assert.deepEqual(result.outputs, { status: 'done' });
    const wall = performance.now() - started;
    assert.ok(wall < 10_000, `took ${wall.toFixed(0)} ms of wall time for 40 s of run time`);
    // The token is looked up when a request is prepared, before the poll's wait: at 0 s (a
    // token, then the poll), 0 s (poll at 20 s), 20 s (poll at 40 s) and 40 s, past the
    // renewal at 30 s: a new token, and the request carrying it is no repeat, so not paced.
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.url}`),
      [
        'POST /oauth/token',
        'GET /secure',
        'GET /secure',
        'GET /secure',
        'POST /oauth/token',
        'GET /secure',
      ],
    );
    assert.equal(server.requests[3]?.headers.authorization, 'Bearer tok-1');
    assert.equal(server.requests[5]?.headers.authorization, 'Bearer tok-2');
  } finally {
    await server.close();
  }
});

test('the real clock: wall-clock readings, real waits, a timer that fires or is cancelled', async () => {
  const clock = systemClock();
  assert.ok(Math.abs(clock.now() - Date.now()) <= 2);
  const before = clock.now();
  await clock.sleep(30, new AbortController().signal);
  assert.ok(clock.now() - before >= 29, `slept ${clock.now() - before} ms`);
  const fired: string[] = [];
  clock.timer(10, () => fired.push('kept'));
  const cancel = clock.timer(10, () => fired.push('cancelled'));
  cancel();
  await clock.sleep(40, new AbortController().signal);
  assert.deepEqual(fired, ['kept']);
  const controller = new AbortController();
  const sleeping = clock.sleep(10_000, controller.signal);
  controller.abort();
  await assert.rejects(sleeping);
});
