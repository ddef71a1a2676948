import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startSimulator,
  type CrewTask,
  type Simulator,
} from '../../examples/crewai/simulator/index.js';
import { runArazzo } from '../_helpers/cli.js';
import { runInTerminal } from '../_helpers/pty.js';

// `arazzo run` as a person sees it at a terminal, and as a pipe sees it.

const TOKEN = 'terminal-canary-token-77';
const ESC = '\u001b';
const TASKS: readonly CrewTask[] = [
  { id: 'draft_task', agent: 'Writer', humanInput: true, durationMs: 5 },
  { id: 'summary_task', agent: 'Editor', durationMs: 120 },
];

async function paused(): Promise<{ sim: Simulator; id: string }> {
  const sim = await startSimulator({ tokens: [TOKEN], tasks: TASKS });
  const id = sim.kickoff({ topic: 't' });
  await sim.waitForStatus(id, 'pending_human_input', 5000);
  return { sim, id };
}

function inputs(id: string, skip: readonly string[] = []): string[] {
  const all: Record<string, string> = {
    bearerToken: TOKEN,
    kickoffId: id,
    taskId: 'draft_task',
    humanFeedback: 'ok',
    isApprove: 'true',
  };
  return Object.entries(all)
    .filter(([name]) => !skip.includes(name))
    .flatMap(([name, value]) => ['--input', `${name}=${value}`]);
}

test('on a terminal a poll is one live line, rewritten in place, in colour', async () => {
  const { sim, id } = await paused();
  try {
    const run = await runInTerminal(
      [
        'run',
        'workflows/resume.yml',
        '--server',
        sim.url,
        ...inputs(id),
        '--poll-interval',
        '30ms',
      ],
      { env: { NO_COLOR: '' } },
    );
    assert.equal(run.code, 0, run.output);
    // The live line: carriage return + erase line, then the poll's line.
    assert.ok(run.output.includes(`\r${ESC}[2K`), 'the line is rewritten in place');
    assert.match(run.output, /⟳ poll 2/);
    assert.ok(run.output.includes(`${ESC}[32m✔`), 'colour on a terminal');
    assert.ok(!run.output.includes(TOKEN));
  } finally {
    await sim.close();
  }
});

test('NO_COLOR turns colour off even on a terminal', async () => {
  const { sim, id } = await paused();
  try {
    const run = await runInTerminal(
      [
        'run',
        'workflows/resume.yml',
        '--server',
        sim.url,
        ...inputs(id),
        '--poll-interval',
        '30ms',
      ],
      {
        env: { NO_COLOR: '1' },
      },
    );
    assert.equal(run.code, 0, run.output);
    assert.ok(!run.output.includes(`${ESC}[3`), 'no colour codes');
  } finally {
    await sim.close();
  }
});

test('piped, each poll is a plain line of its own', async () => {
  const { sim, id } = await paused();
  try {
    const run = await runArazzo([
      'run',
      'workflows/resume.yml',
      '--server',
      sim.url,
      ...inputs(id),
      '--poll-interval',
      '30ms',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const polls = run.stdout.split('\n').filter((line) => line.includes('⟳ poll'));
    assert.ok(polls.length >= 2, run.stdout);
    assert.ok(!run.stdout.includes('\r'));
  } finally {
    await sim.close();
  }
});

test('--verbose shows each exchange with the Authorization header redacted', async () => {
  const { sim, id } = await paused();
  try {
    const run = await runArazzo([
      'run',
      'workflows/resume.yml',
      '--server',
      sim.url,
      ...inputs(id),
      '--verbose',
      '--poll-interval',
      '30ms',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /→ POST http:\/\/127\.0\.0\.1:\d+\/resume/);
    assert.match(run.stdout, /Authorization: \*\*\*/);
    assert.match(run.stdout, /"is_approve":true/);
    assert.match(run.stdout, /← 200/);
    assert.ok(!run.stdout.includes(TOKEN));
  } finally {
    await sim.close();
  }
});

test('a missing required input is asked for on a terminal, a secret without echo', async () => {
  const { sim, id } = await paused();
  try {
    const run = await runInTerminal(
      [
        'run',
        'workflows/resume.yml',
        '--server',
        sim.url,
        ...inputs(id, ['bearerToken', 'humanFeedback']),
        '--poll-interval',
        '30ms',
      ],
      {
        answers: [
          [/bearerToken \(/, `${TOKEN}\r`],
          [/humanFeedback/, 'Typed feedback\r'],
        ],
      },
    );
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /bearerToken \(Bearer token from the AMP dashboard Status tab\.\): /);
    assert.match(run.output, /humanFeedback/);
    assert.ok(!run.output.includes(TOKEN), 'the secret is not echoed');
    const resume = sim.requests.find((r) => r.path === '/resume');
    assert.equal((resume?.body as { human_feedback: string }).human_feedback, 'Typed feedback');
  } finally {
    await sim.close();
  }
});

test('without a terminal, missing inputs are named and nothing is sent (exit 2)', async () => {
  const sim = await startSimulator({ tokens: [TOKEN] });
  try {
    const run = await runArazzo([
      'run',
      'workflows/resume.yml',
      '--server',
      sim.url,
      ...inputs('x', ['bearerToken', 'taskId']),
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing required inputs: bearerToken, taskId/);
    assert.equal(sim.requests.length, 0);
  } finally {
    await sim.close();
  }
});
