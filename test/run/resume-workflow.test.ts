import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startSimulator,
  type CrewTask,
  type Simulator,
} from '../../examples/crewai/simulator/index.js';
import { runArazzo } from '../_helpers/cli.js';

// The seed workflow (workflows/resume.yml, unchanged) through the real CLI against the simulator.

const TOKEN = 'sim-token-canary-4f2a';
const FAST: readonly CrewTask[] = [
  { id: 'research_task', agent: 'Researcher', durationMs: 5 },
  { id: 'draft_task', agent: 'Writer', humanInput: true, durationMs: 5 },
  { id: 'summary_task', agent: 'Editor', durationMs: 300 },
];

async function pausedExecution(
  tasks: readonly CrewTask[] = FAST,
): Promise<{ sim: Simulator; id: string }> {
  const sim = await startSimulator({ tokens: [TOKEN], tasks });
  const id = sim.kickoff({ topic: 'tests' });
  await sim.waitForStatus(id, 'pending_human_input', 5000);
  return { sim, id };
}

function args(sim: Simulator, inputs: Record<string, string>, ...extra: string[]): string[] {
  return [
    'run',
    'workflows/resume.yml',
    '--server',
    sim.url,
    ...Object.entries(inputs).flatMap(([name, value]) => ['--input', `${name}=${value}`]),
    '--poll-interval',
    '20ms',
    ...extra,
  ];
}

function standardInputs(
  id: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    bearerToken: TOKEN,
    kickoffId: id,
    taskId: 'draft_task',
    humanFeedback: 'Looks good',
    isApprove: 'true',
    ...overrides,
  };
}

interface JsonResult {
  workflowId: string;
  success: boolean;
  outputs: Record<string, unknown>;
  steps: {
    stepId: string;
    success: boolean;
    statusCode: number | null;
    attempts: number;
    executions: number;
  }[];
  error?: { code: string; message: string; stepId?: string };
}

test('approve: resumes, polls (paced) until completed, and returns every output', async () => {
  const { sim, id } = await pausedExecution();
  try {
    const run = await runArazzo(args(sim, standardInputs(id), '--json'));
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as JsonResult;
    assert.equal(result.success, true);
    assert.equal(result.outputs['resumeStatus'], 'resumed');
    assert.equal(result.outputs['finalStatus'], 'completed');
    assert.equal(result.outputs['output'], 'Editor completed summary_task');
    assert.equal((result.outputs['tasks'] as unknown[]).length, 3);
    assert.equal(result.outputs['error'], null);
    assert.equal(typeof result.outputs['executionTime'], 'number');
    assert.deepEqual(
      result.steps.map((s) => s.stepId),
      ['inspectStatus', 'submitFeedback', 'pollUntilDone'],
    );

    const resume = sim.requests.find((r) => r.method === 'POST' && r.path === '/resume');
    assert.deepEqual(resume?.body, {
      execution_id: id,
      task_id: 'draft_task',
      human_feedback: 'Looks good',
      is_approve: true,
    });
    for (const request of sim.requests)
      assert.equal(request.headers['authorization'], `Bearer ${TOKEN}`);
    const polls =
      sim.requests.filter((r) => r.method === 'GET' && r.path === `/status/${id}`).length - 1;
    // The last task takes 300 ms and polls are paced at 20 ms: several polls, not hundreds.
    assert.ok(polls >= 2 && polls < 40, `polls: ${polls}`);
    assert.equal(result.steps[2]?.executions, polls);
    assert.ok(!run.stdout.includes(TOKEN) && !run.stderr.includes(TOKEN));
  } finally {
    await sim.close();
  }
});

test('approve, human output: a line per step, the outputs, no token', async () => {
  const { sim, id } = await pausedExecution();
  try {
    const run = await runArazzo(args(sim, standardInputs(id)));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /✔ {2}inspectStatus {2}GET \/status\/[\w-]+ {2}200/);
    assert.match(run.stdout, /✔ {2}submitFeedback {2}POST \/resume {2}200/);
    assert.match(run.stdout, /pollUntilDone.*poll \d+/);
    assert.match(run.stdout, /✔ resume-paused-execution succeeded/);
    assert.match(run.stdout, /finalStatus: "completed"/);
    assert.ok(!run.stdout.includes(TOKEN) && !run.stderr.includes(TOKEN));
    assert.ok(!run.stdout.includes('\x1b['), 'no colour when piped');
  } finally {
    await sim.close();
  }
});

test('reject: the task is retried and the run settles on the next pause', async () => {
  const { sim, id } = await pausedExecution();
  try {
    const run = await runArazzo(args(sim, standardInputs(id, { isApprove: 'false' }), '--json'));
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as JsonResult;
    assert.equal(result.outputs['resumeStatus'], 'retrying');
    assert.equal(result.outputs['finalStatus'], 'pending_human_input');
    assert.equal(result.outputs['output'], null);
    const resume = sim.requests.find((r) => r.path === '/resume');
    assert.equal((resume?.body as { is_approve: unknown }).is_approve, false);
  } finally {
    await sim.close();
  }
});

test('execution error: the workflow reports the crew error in its outputs', async () => {
  const { sim, id } = await pausedExecution([
    { id: 'draft_task', agent: 'Writer', humanInput: true, durationMs: 5 },
    {
      id: 'publish_task',
      agent: 'Publisher',
      fails: 'Invalid API key for external service',
      durationMs: 30,
    },
  ]);
  try {
    const run = await runArazzo(args(sim, standardInputs(id), '--json'));
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as JsonResult;
    assert.equal(result.outputs['finalStatus'], 'error');
    assert.equal(result.outputs['error'], 'Invalid API key for external service');
    assert.equal(result.outputs['output'], null);
    assert.equal(result.outputs['tasks'], null);
  } finally {
    await sim.close();
  }
});

test('unknown execution: 404 fails the first step with one clear reason, exit 1', async () => {
  const sim = await startSimulator({ tokens: [TOKEN] });
  try {
    const run = await runArazzo(args(sim, standardInputs('00000000-0000-4000-8000-000000000000')));
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✖ {2}inspectStatus {2}GET \/status\/0{8}-[\w-]+ {2}404/);
    assert.match(run.stdout, /\$statusCode == 200/);
    assert.match(run.stdout, /404/);
    assert.equal(sim.requests.length, 1, 'nothing after the failed step');
    assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    await sim.close();
  }
});

test('wrong token: 401 ends the run with exit 1 and the token never printed', async () => {
  const { sim, id } = await pausedExecution();
  try {
    const wrong = 'wrong-token-canary-9d1c';
    const run = await runArazzo(args(sim, standardInputs(id, { bearerToken: wrong }), '--json'));
    assert.equal(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout) as JsonResult;
    assert.equal(result.success, false);
    assert.equal(result.error?.stepId, 'inspectStatus');
    assert.equal(result.steps[0]?.statusCode, 401);
    assert.ok(!run.stdout.includes(wrong) && !run.stderr.includes(wrong));
  } finally {
    await sim.close();
  }
});

test('missing required input: exit 2 naming it, no request sent', async () => {
  const sim = await startSimulator({ tokens: [TOKEN] });
  try {
    const inputs = standardInputs('x');
    delete inputs['taskId'];
    const run = await runArazzo(args(sim, inputs));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing required input: taskId/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.equal(sim.requests.length, 0);
  } finally {
    await sim.close();
  }
});

test('mistyped input: exit 2, no request sent', async () => {
  const sim = await startSimulator({ tokens: [TOKEN] });
  try {
    const run = await runArazzo(args(sim, standardInputs('x', { isApprove: 'maybe' })));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /isApprove must be boolean/);
    assert.equal(sim.requests.length, 0);
  } finally {
    await sim.close();
  }
});

test('unreachable server: exit 1 with one line saying so', async () => {
  const sim = await startSimulator();
  const url = sim.url;
  await sim.close();
  const run = await runArazzo(['run', 'workflows/resume.yml', '--server', url, ...standardArgs()]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /connection refused/);
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /);
});

test('bad files: missing document, malformed YAML, unknown flag: exit 2, one line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-'));
  const broken = join(dir, 'broken.yml');
  await writeFile(broken, 'arazzo: 1.0.1\ninfo: [unclosed\n');
  const missing = await runArazzo(['run', join(dir, 'nope.yml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.yml: no such file/);
  const malformed = await runArazzo(['run', broken]);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /broken\.yml:\d+:\d+/);
  const flag = await runArazzo(['run', 'workflows/resume.yml', '--bogus']);
  assert.equal(flag.code, 2);
  for (const run of [missing, malformed, flag]) {
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
});

function standardArgs(): string[] {
  return Object.entries(standardInputs('00000000-0000-4000-8000-000000000000')).flatMap(
    ([n, v]) => ['--input', `${n}=${v}`],
  );
}
