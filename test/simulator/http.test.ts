// Every documented status code and body of the simulator, over real HTTP on 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import type { Simulator } from '../../examples/crewai/simulator/index.js';
import { call, kickoffId, resumeBody, startManual } from './helpers.js';
import type { ManualClock } from './helpers.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let sim: Simulator;
let clock: ManualClock;

void before(async () => {
  ({ sim, clock } = await startManual({
    requiredInputs: ['topic', 'audience'],
    tokens: ['sim-token', 'user-token'],
  }));
});

void after(async () => {
  await sim.close();
});

async function startRun(): Promise<string> {
  return kickoffId(
    await call(sim, 'POST', '/kickoff', { body: { inputs: { topic: 't', audience: 'a' } } }),
  );
}

void test('listens on loopback by default', () => {
  assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

void test('GET / answers text/plain Healthy', async () => {
  const reply = await call(sim, 'GET', '/');
  assert.equal(reply.status, 200);
  assert.match(reply.contentType, /^text\/plain/);
  assert.equal(reply.body, 'Healthy');
});

void test('GET /inputs lists the required inputs', async () => {
  const reply = await call(sim, 'GET', '/inputs');
  assert.equal(reply.status, 200);
  assert.equal(reply.contentType, 'application/json');
  assert.deepEqual(reply.body, { inputs: ['topic', 'audience'] });
});

void test('401 for a missing, wrong or non-bearer token on every endpoint; any configured token works', async () => {
  const unauthorized = { error: 'Unauthorized', message: 'Invalid or missing bearer token' };
  for (const [method, path] of [
    ['GET', '/'],
    ['GET', '/inputs'],
    ['POST', '/kickoff'],
    ['GET', '/status/abc'],
    ['POST', '/resume'],
  ] as const) {
    for (const token of [null, 'wrong']) {
      const reply = await call(
        sim,
        method,
        path,
        method === 'POST' ? { token, body: {} } : { token },
      );
      assert.equal(reply.status, 401, `${method} ${path} with ${String(token)}`);
      assert.equal(reply.contentType, 'application/json');
      assert.deepEqual(reply.body, unauthorized);
    }
  }
  const basic = await fetch(`${sim.url}/inputs`, {
    headers: { authorization: 'Basic c2ltLXRva2Vu' },
  });
  assert.equal(basic.status, 401);
  await basic.text();
  assert.equal((await call(sim, 'GET', '/inputs', { token: 'user-token' })).status, 200);
});

void test('POST /kickoff returns a v4 UUID kickoff_id', async () => {
  const reply = await call(sim, 'POST', '/kickoff', {
    body: {
      inputs: { topic: 't', audience: 'a' },
      meta: { requestId: 'r-1' },
      crewWebhookUrl: 'https://example.com/h',
    },
  });
  assert.equal(reply.status, 200);
  assert.equal(reply.contentType, 'application/json');
  assert.deepEqual(Object.keys(reply.body as object), ['kickoff_id']);
  assert.match(kickoffId(reply), UUID_V4);
});

void test('POST /kickoff: 422 names the missing required inputs', async () => {
  const reply = await call(sim, 'POST', '/kickoff', { body: { inputs: { audience: 'a' } } });
  assert.equal(reply.status, 422);
  assert.deepEqual(reply.body, {
    error: 'Validation Error',
    message: 'Missing required inputs',
    details: { missing_inputs: ['topic'] },
  });
});

void test('POST /kickoff: 400 without an inputs object, with an empty or malformed body', async () => {
  for (const options of [
    { body: {} },
    { body: { inputs: ['topic'] } },
    { body: { inputs: null } },
    { body: [1] },
    { raw: '{"inputs":' },
    {},
  ]) {
    const reply = await call(sim, 'POST', '/kickoff', options);
    assert.equal(reply.status, 400, JSON.stringify(options));
    assert.equal(reply.contentType, 'application/json');
    const body = reply.body as { error: string; message: string };
    assert.equal(body.error, 'Bad Request');
    assert.equal(typeof body.message, 'string');
  }
});

void test('GET /status/{id}: 404 with the documented body for an unknown id (UUID or not)', async () => {
  for (const id of [
    '00000000-0000-4000-8000-000000000000',
    'abcd1234-5678-90ef-ghij-klmnopqrstuv',
  ]) {
    const reply = await call(sim, 'GET', `/status/${id}`);
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.body, {
      error: 'Execution not found',
      message: `No execution found with ID: ${id}`,
    });
  }
});

void test('GET /status/{id}: a running body has current_task and progress, no result or error', async () => {
  const id = await startRun();
  const reply = await call(sim, 'GET', `/status/${id}`);
  assert.equal(reply.status, 200);
  assert.equal(reply.contentType, 'application/json');
  assert.deepEqual(reply.body, {
    status: 'running',
    current_task: 'research_task',
    progress: { completed_tasks: 0, total_tasks: 3 },
  });
  assert.equal(Object.hasOwn(reply.body as object, 'result'), false);
  assert.equal(Object.hasOwn(reply.body as object, 'error'), false);
});

void test('POST /resume: 404 for an unknown execution or task', async () => {
  const unknown = await call(sim, 'POST', '/resume', {
    body: resumeBody('00000000-0000-4000-8000-000000000000', 'draft_task', true),
  });
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.body, { error: 'Not Found', message: 'Execution ID not found' });

  const id = await startRun();
  clock.advance(200);
  const task = await call(sim, 'POST', '/resume', { body: resumeBody(id, 'no_such_task', true) });
  assert.equal(task.status, 404);
  assert.deepEqual(task.body, { error: 'Not Found', message: 'Task ID not found' });
  // A real task that is not the one awaiting feedback is "not found" among paused tasks too.
  const other = await call(sim, 'POST', '/resume', { body: resumeBody(id, 'research_task', true) });
  assert.equal(other.status, 404);
  assert.deepEqual(other.body, { error: 'Not Found', message: 'Task ID not found' });
});

void test('POST /resume: 400 when the execution is not paused', async () => {
  const id = await startRun();
  const reply = await call(sim, 'POST', '/resume', { body: resumeBody(id, 'draft_task', true) });
  assert.equal(reply.status, 400);
  assert.deepEqual(reply.body, {
    error: 'Invalid Request',
    message: 'Execution is not in pending human input state',
  });
});

void test('POST /resume: 400 Bad Request for missing fields, wrong types and malformed JSON', async () => {
  const id = await startRun();
  clock.advance(200);
  const cases: { options: { body?: unknown; raw?: string }; message: RegExp }[] = [
    {
      options: { body: { execution_id: id } },
      message: /Missing required fields: task_id, human_feedback, is_approve/,
    },
    {
      options: { body: { ...resumeBody(id, 'draft_task', true), is_approve: 'true' } },
      message: /is_approve must be a boolean/,
    },
    {
      options: { body: { ...resumeBody(id, 'draft_task', true), is_approve: 1 } },
      message: /is_approve must be a boolean/,
    },
    {
      options: { body: { ...resumeBody(id, 'draft_task', true), human_feedback: 42 } },
      message: /human_feedback must be a string/,
    },
    {
      options: { body: { ...resumeBody(id, 'draft_task', true), taskWebhookUrl: 1 } },
      message: /taskWebhookUrl must be a string/,
    },
    { options: { body: 'approve' }, message: /JSON object/ },
    { options: { raw: 'not json' }, message: /not valid JSON/ },
    { options: {}, message: /empty/ },
  ];
  for (const { options, message } of cases) {
    const reply = await call(sim, 'POST', '/resume', options);
    assert.equal(reply.status, 400, JSON.stringify(options));
    const body = reply.body as { error: string; message: string };
    assert.equal(body.error, 'Bad Request');
    assert.match(body.message, message);
  }
  // None of those touched the paused execution.
  assert.equal((sim.status(id) as { status: string }).status, 'pending_human_input');
});

void test('unknown routes answer 404 JSON; a known path with the wrong method 405', async () => {
  const missing = await call(sim, 'GET', '/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.contentType, 'application/json');
  assert.deepEqual(missing.body, {
    error: 'Not Found',
    message: 'The requested resource was not found',
  });
  assert.equal((await call(sim, 'GET', '/status/')).status, 404);
  assert.equal((await call(sim, 'GET', '/status/a/b')).status, 404);
  assert.equal((await call(sim, 'GET', '//inputs')).status, 404);
  const wrongMethod = await call(sim, 'GET', '/kickoff');
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.contentType, 'application/json');
});

void test('every request is recorded in order with headers and parsed body', async () => {
  const before = sim.requests.length;
  await call(sim, 'POST', '/kickoff', { body: { inputs: { topic: 'x', audience: 'y' } } });
  await call(sim, 'POST', '/kickoff', { raw: 'oops' });
  await call(sim, 'GET', '/inputs?x=1');
  const recorded = sim.requests.slice(before);
  assert.equal(recorded.length, 3);
  assert.equal(recorded[0]?.method, 'POST');
  assert.equal(recorded[0]?.path, '/kickoff');
  assert.equal(recorded[0]?.headers.authorization, 'Bearer sim-token');
  assert.deepEqual(recorded[0]?.body, { inputs: { topic: 'x', audience: 'y' } });
  assert.equal(recorded[1]?.body, 'oops');
  assert.equal(recorded[2]?.path, '/inputs?x=1');
  assert.equal(recorded[2]?.body, undefined);
});
