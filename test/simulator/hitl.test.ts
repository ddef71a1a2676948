// The human-in-the-loop flow over real HTTP: pause, approve, reject, fail, and the in-process API.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { startSimulator } from '../../examples/crewai/simulator/index.js';
import { call, kickoffId, resumeBody, startManual } from './helpers.js';

interface AnyStatus {
  status: string;
  current_task?: string;
  progress?: { completed_tasks: number; total_tasks: number };
  result?: {
    output: string;
    tasks: { task_id: string; output: string; agent: string; execution_time: number }[];
  };
  error?: string;
  execution_time?: number;
}

void test('approve: resumed, running at once, then completed with a result and no error', async () => {
  const { sim, clock } = await startManual();
  try {
    const id = kickoffId(
      await call(sim, 'POST', '/kickoff', { body: { inputs: { topic: 'agents' } } }),
    );
    clock.advance(200);
    const paused = await call(sim, 'GET', `/status/${id}`);
    assert.deepEqual(paused.body, {
      status: 'pending_human_input',
      current_task: 'draft_task',
      progress: { completed_tasks: 1, total_tasks: 3 },
    });

    const resumed = await call(sim, 'POST', '/resume', {
      body: resumeBody(id, 'draft_task', true, 'Looks good'),
    });
    assert.equal(resumed.status, 200);
    assert.deepEqual(resumed.body, {
      status: 'resumed',
      message: 'Execution resumed successfully',
    });
    // The switch to running happened before the reply (NOTES §7), so an immediate poll sees it.
    const running = (await call(sim, 'GET', `/status/${id}`)).body as AnyStatus;
    assert.equal(running.status, 'running');
    assert.equal(running.current_task, 'summary_task');

    clock.advance(100);
    const done = (await call(sim, 'GET', `/status/${id}`)).body as AnyStatus;
    assert.equal(done.status, 'completed');
    assert.equal(Object.hasOwn(done, 'error'), false);
    assert.equal(done.result?.output, 'Final report on agents, edited and summarised.');
    assert.deepEqual(
      done.result?.tasks.map((t) => [t.task_id, t.agent]),
      [
        ['research_task', 'Senior Researcher'],
        ['draft_task', 'Report Writer'],
        ['summary_task', 'Editor'],
      ],
    );
    assert.equal(done.execution_time, 0.3);

    const again = await call(sim, 'POST', '/resume', { body: resumeBody(id, 'draft_task', true) });
    assert.equal(again.status, 400);
  } finally {
    await sim.close();
  }
});

void test('reject: retrying, running the same task again, then paused again on it', async () => {
  const { sim, clock } = await startManual();
  try {
    const id = kickoffId(
      await call(sim, 'POST', '/kickoff', { body: { inputs: { topic: 'agents' } } }),
    );
    clock.advance(200);
    const retrying = await call(sim, 'POST', '/resume', {
      body: resumeBody(id, 'draft_task', false, 'More data'),
    });
    assert.equal(retrying.status, 200);
    assert.deepEqual(retrying.body, {
      status: 'retrying',
      message: 'Task will be retried with your feedback',
    });
    assert.deepEqual((await call(sim, 'GET', `/status/${id}`)).body, {
      status: 'running',
      current_task: 'draft_task',
      progress: { completed_tasks: 1, total_tasks: 3 },
    });
    clock.advance(100);
    assert.deepEqual((await call(sim, 'GET', `/status/${id}`)).body, {
      status: 'pending_human_input',
      current_task: 'draft_task',
      progress: { completed_tasks: 1, total_tasks: 3 },
    });
    await call(sim, 'POST', '/resume', { body: resumeBody(id, 'draft_task', true) });
    clock.advance(100);
    const done = (await call(sim, 'GET', `/status/${id}`)).body as AnyStatus;
    assert.equal(done.status, 'completed');
    assert.equal(
      done.result?.tasks[1]?.output,
      'Draft report on agents, ready for review. (revised with feedback: More data)',
    );
  } finally {
    await sim.close();
  }
});

void test('approving the last task answers completed and the execution is completed', async () => {
  const { sim, clock } = await startManual({
    tasks: [
      { id: 'research_task', agent: 'Researcher' },
      { id: 'approval_task', agent: 'Reviewer', humanInput: true, output: 'Approved plan' },
    ],
  });
  try {
    const id = kickoffId(await call(sim, 'POST', '/kickoff', { body: { inputs: { topic: 'x' } } }));
    clock.advance(200);
    const reply = await call(sim, 'POST', '/resume', {
      body: resumeBody(id, 'approval_task', true),
    });
    assert.equal(reply.status, 200);
    assert.equal((reply.body as { status: string }).status, 'completed');
    const done = (await call(sim, 'GET', `/status/${id}`)).body as AnyStatus;
    assert.equal(done.status, 'completed');
    assert.equal(done.result?.output, 'Approved plan');
  } finally {
    await sim.close();
  }
});

void test('a failing task ends in an error body without result', async () => {
  const { sim, clock } = await startManual({
    tasks: [
      { id: 'fetch_task', agent: 'Fetcher' },
      {
        id: 'call_task',
        agent: 'Caller',
        fails: 'Task execution failed: Invalid API key for external service',
      },
    ],
  });
  try {
    const id = kickoffId(await call(sim, 'POST', '/kickoff', { body: { inputs: { topic: 'x' } } }));
    clock.advance(200);
    const reply = await call(sim, 'GET', `/status/${id}`);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {
      status: 'error',
      error: 'Task execution failed: Invalid API key for external service',
      execution_time: 0.2,
    });
    assert.equal(Object.hasOwn(reply.body as object, 'result'), false);
    const resume = await call(sim, 'POST', '/resume', { body: resumeBody(id, 'call_task', true) });
    assert.equal(resume.status, 400);
  } finally {
    await sim.close();
  }
});

void test('real clock: in-process kickoff, waitForStatus, resume over HTTP, per-execution tasks', async () => {
  const sim = await startSimulator({ taskDurationMs: 3 });
  try {
    const id = sim.kickoff();
    await sim.waitForStatus(id, 'pending_human_input', 2000);
    assert.equal((sim.status(id) as AnyStatus).current_task, 'draft_task');
    // The default crew's outputs keep unfilled placeholders when kicked off without inputs.
    const resumed = await call(sim, 'POST', '/resume', {
      body: resumeBody(id, 'draft_task', true),
    });
    assert.equal((resumed.body as { status: string }).status, 'resumed');
    await sim.waitForStatus(id, 'completed', 2000);
    assert.equal(
      (sim.status(id) as AnyStatus).result?.output,
      'Final report on {topic}, edited and summarised.',
    );

    const custom = sim.kickoff({ topic: 'x' }, [
      { id: 'boom', agent: 'A', fails: 'broken', durationMs: 2 },
    ]);
    await sim.waitForStatus(custom, 'error', 2000);
    await assert.rejects(sim.waitForStatus(custom, 'completed', 2000), /ended as error/);
    await assert.rejects(
      sim.waitForStatus('nope', 'completed'),
      /No execution found with ID: nope/,
    );
    assert.throws(() => sim.status('nope'), /No execution found/);

    const slow = sim.kickoff({}, [{ id: 'slow', agent: 'S', durationMs: 60_000 }]);
    await assert.rejects(sim.waitForStatus(slow, 'completed', 30), /still running/);
  } finally {
    await sim.close();
  }
});

void test('close() drops keep-alive connections and pending waits', async () => {
  const sim = await startSimulator({ taskDurationMs: 60_000 });
  // fetch keeps the connection alive; close must not hang on it.
  assert.equal((await call(sim, 'GET', '/')).status, 200);
  const id = sim.kickoff();
  const waiting = sim.waitForStatus(id, 'completed', 60_000);
  await sim.close();
  await assert.rejects(waiting, /closed/);
  await assert.rejects(fetch(`${sim.url}/`));
  await sim.close(); // idempotent
});

void test('refuses to start without tokens or with an empty crew', async () => {
  await assert.rejects(startSimulator({ tokens: [] }), /at least one accepted token/);
  await assert.rejects(startSimulator({ tasks: [] }), /at least one task/);
});
