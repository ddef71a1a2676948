// The pure state machine, stepped with a manual clock: no HTTP, exact timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Crew, checkTasks } from '../../examples/crewai/simulator/crew.js';
import type { CrewTask } from '../../examples/crewai/simulator/crew.js';
import { ManualClock } from './helpers.js';

const TASKS: readonly CrewTask[] = [
  { id: 'research_task', agent: 'Researcher', output: 'Notes on {topic}' },
  { id: 'review_task', agent: 'Writer', humanInput: true, output: 'Draft on {topic}' },
  { id: 'final_task', agent: 'Editor', durationMs: 50, output: 'Final on {topic}' },
];

function newCrew(tasks: readonly CrewTask[] = TASKS): { crew: Crew; clock: ManualClock } {
  const clock = new ManualClock();
  let next = 0;
  const crew = new Crew({
    tasks,
    requiredInputs: ['topic', 'audience'],
    taskDurationMs: 100,
    now: clock.now,
    newId: () => `exec-${++next}`,
  });
  return { crew, clock };
}

void test('tasks run in order and a human-input task pauses the run when it finishes', () => {
  const { crew, clock } = newCrew();
  const id = crew.kickoff({ topic: 'agents' });
  assert.deepEqual(crew.status(id), {
    status: 'running',
    current_task: 'research_task',
    progress: { completed_tasks: 0, total_tasks: 3 },
  });
  clock.advance(100);
  assert.deepEqual(crew.status(id), {
    status: 'running',
    current_task: 'review_task',
    progress: { completed_tasks: 1, total_tasks: 3 },
  });
  clock.advance(99);
  assert.equal((crew.status(id) as { status: string }).status, 'running');
  clock.advance(1);
  // The paused task is not counted as completed until approved (our choice).
  assert.deepEqual(crew.status(id), {
    status: 'pending_human_input',
    current_task: 'review_task',
    progress: { completed_tasks: 1, total_tasks: 3 },
  });
  // Waiting for a human does not move the run on.
  clock.advance(10_000);
  assert.equal((crew.status(id) as { status: string }).status, 'pending_human_input');
});

void test('approve resumes at the next task; the run completes with every task result', () => {
  const { crew, clock } = newCrew();
  const id = crew.kickoff({ topic: 'agents' });
  clock.advance(200);
  clock.advance(5_000); // time spent waiting for the reviewer
  const outcome = crew.resume({
    executionId: id,
    taskId: 'review_task',
    humanFeedback: 'ok',
    isApprove: true,
  });
  assert.deepEqual(outcome, { ok: true, status: 'resumed' });
  assert.deepEqual(crew.status(id), {
    status: 'running',
    current_task: 'final_task',
    progress: { completed_tasks: 2, total_tasks: 3 },
  });
  clock.advance(50);
  assert.deepEqual(crew.status(id), {
    status: 'completed',
    result: {
      output: 'Final on agents',
      tasks: [
        {
          task_id: 'research_task',
          output: 'Notes on agents',
          agent: 'Researcher',
          execution_time: 0.1,
        },
        { task_id: 'review_task', output: 'Draft on agents', agent: 'Writer', execution_time: 0.1 },
        { task_id: 'final_task', output: 'Final on agents', agent: 'Editor', execution_time: 0.05 },
      ],
    },
    // Task time only: the 5 s waiting for a human is not execution time (our choice).
    execution_time: 0.25,
  });
});

void test('reject re-runs the task with the feedback and pauses again', () => {
  const { crew, clock } = newCrew();
  const id = crew.kickoff({ topic: 'agents' });
  clock.advance(200);
  const outcome = crew.resume({
    executionId: id,
    taskId: 'review_task',
    humanFeedback: 'Add numbers',
    isApprove: false,
  });
  assert.deepEqual(outcome, { ok: true, status: 'retrying' });
  assert.deepEqual(crew.status(id), {
    status: 'running',
    current_task: 'review_task',
    progress: { completed_tasks: 1, total_tasks: 3 },
  });
  clock.advance(100);
  assert.equal((crew.status(id) as { status: string }).status, 'pending_human_input');
  crew.resume({ executionId: id, taskId: 'review_task', humanFeedback: 'Good', isApprove: true });
  clock.advance(50);
  const done = crew.status(id) as {
    status: string;
    result: { tasks: { output: string }[] };
    execution_time: number;
  };
  assert.equal(done.status, 'completed');
  assert.equal(done.result.tasks.length, 3);
  assert.equal(
    done.result.tasks[1]?.output,
    'Draft on agents (revised with feedback: Add numbers)',
  );
  assert.equal(done.execution_time, 0.35);
});

void test('approving the last task completes the execution at once', () => {
  const { crew, clock } = newCrew([
    { id: 'only_task', agent: 'Solo', humanInput: true, output: 'All done' },
  ]);
  const id = crew.kickoff({});
  clock.advance(100);
  assert.deepEqual(
    crew.resume({ executionId: id, taskId: 'only_task', humanFeedback: 'ok', isApprove: true }),
    {
      ok: true,
      status: 'completed',
    },
  );
  const body = crew.status(id) as { status: string; result: { output: string } };
  assert.equal(body.status, 'completed');
  assert.equal(body.result.output, 'All done');
});

void test('a failing task ends the run in error with its message', () => {
  const { crew, clock } = newCrew([
    { id: 'a', agent: 'A' },
    {
      id: 'b',
      agent: 'B',
      fails: 'Task execution failed: Invalid API key for external service',
      durationMs: 30,
    },
    { id: 'c', agent: 'C' },
  ]);
  const id = crew.kickoff({});
  clock.advance(129);
  assert.equal((crew.status(id) as { status: string }).status, 'running');
  clock.advance(1);
  assert.deepEqual(crew.status(id), {
    status: 'error',
    error: 'Task execution failed: Invalid API key for external service',
    execution_time: 0.13,
  });
  clock.advance(1_000);
  assert.equal((crew.status(id) as { status: string }).status, 'error');
});

void test('reading late catches up over several tasks at once', () => {
  const { crew, clock } = newCrew([
    { id: 'a', agent: 'A' },
    { id: 'b', agent: 'B' },
    { id: 'c', agent: 'C', humanInput: true },
    { id: 'd', agent: 'D' },
  ]);
  const id = crew.kickoff({});
  clock.advance(1_000_000);
  assert.deepEqual(crew.status(id), {
    status: 'pending_human_input',
    current_task: 'c',
    progress: { completed_tasks: 2, total_tasks: 4 },
  });
});

void test('resume refusals: unknown execution, unknown task, not paused, another task', () => {
  const { crew, clock } = newCrew();
  const id = crew.kickoff({ topic: 't' });
  const base = { executionId: id, taskId: 'review_task', humanFeedback: 'x', isApprove: true };
  assert.deepEqual(crew.resume({ ...base, executionId: 'nope' }), {
    ok: false,
    reason: 'execution-not-found',
  });
  assert.deepEqual(crew.resume({ ...base, taskId: 'nope' }), {
    ok: false,
    reason: 'task-not-found',
  });
  assert.deepEqual(crew.resume(base), { ok: false, reason: 'not-pending' });
  clock.advance(200);
  assert.deepEqual(crew.resume({ ...base, taskId: 'research_task' }), {
    ok: false,
    reason: 'task-not-found',
  });
  assert.deepEqual(crew.resume(base), { ok: true, status: 'resumed' });
  assert.deepEqual(crew.resume(base), { ok: false, reason: 'not-pending' });
});

void test('missing inputs are reported in declaration order; null counts as missing', () => {
  const { crew } = newCrew();
  assert.deepEqual(crew.missingInputs({}), ['topic', 'audience']);
  assert.deepEqual(crew.missingInputs({ audience: 'x', topic: null }), ['topic']);
  assert.deepEqual(crew.missingInputs({ audience: '', topic: 'y' }), []);
});

void test('unusable task lists are refused', () => {
  assert.throws(() => checkTasks([]), /at least one task/);
  assert.throws(
    () =>
      checkTasks([
        { id: 'a', agent: 'A' },
        { id: 'a', agent: 'B' },
      ]),
    /Duplicate task id: a/,
  );
  assert.throws(() => checkTasks([{ id: 'a', agent: 'A', durationMs: -1 }]), /non-negative/);
  const { crew } = newCrew();
  assert.throws(() => crew.kickoff({}, []), /at least one task/);
});

void test('unknown execution ids have no status', () => {
  const { crew } = newCrew();
  assert.equal(crew.status('missing'), undefined);
  assert.equal(crew.has('missing'), false);
});
