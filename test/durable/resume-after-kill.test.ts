import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startSimulator, type Simulator } from '../../examples/crewai/simulator/index.js';
import { BIN, ROOT, runArazzo } from '../_helpers/cli.js';
import { postgresUnavailable, startPostgres } from '../_helpers/postgres.js';

// Issue 16, done when: the runner is SIGKILLed in the poll phase of the resume workflow;
// `arazzo runs resume` finishes it with POST /resume sent once, the outputs of an
// uninterrupted run, and no token in the database.

const TOKEN = 'durable-token-Zq81';
const skip = postgresUnavailable();

function simulator(): Promise<Simulator> {
  return startSimulator({
    tokens: [TOKEN],
    tasks: [
      { id: 'draft_task', agent: 'Writer', humanInput: true, durationMs: 5 },
      // Long enough to kill the runner while it polls.
      { id: 'summary_task', agent: 'Editor', durationMs: 2500 },
    ],
  });
}

function inputs(kickoffId: string, withToken = true): string[] {
  return [
    ...(withToken ? ['--input', `bearerToken=${TOKEN}`] : []),
    '--input',
    `kickoffId=${kickoffId}`,
    '--input',
    'taskId=draft_task',
    '--input',
    'humanFeedback=Keep it short.',
    '--input',
    'isApprove=true',
  ];
}

const polls = (sim: Simulator, kickoffId: string): number =>
  sim.requests.filter((r) => r.method === 'GET' && r.path === `/status/${kickoffId}`).length;
const resumes = (sim: Simulator): number =>
  sim.requests.filter((r) => r.method === 'POST' && r.path === '/resume').length;

test(
  'a durable run killed mid-poll is resumed: POST /resume once, the same outputs, no token stored',
  { skip },
  async () => {
    const pg = await startPostgres();
    const sim = await simulator();
    try {
      // The reference: the same workflow, uninterrupted, on another execution of the same crew.
      const first = sim.kickoff({ topic: 'durability' });
      await sim.waitForStatus(first, 'pending_human_input', 5000);
      const plain = await runArazzo([
        'run',
        'workflows/resume.yml',
        '--server',
        sim.url,
        ...inputs(first),
        '--poll-interval',
        '100ms',
        '--json',
      ]);
      assert.equal(plain.code, 0, plain.stderr);
      const expected = (JSON.parse(plain.stdout) as { outputs: Record<string, unknown> }).outputs;

      const kickoffId = sim.kickoff({ topic: 'durability' });
      await sim.waitForStatus(kickoffId, 'pending_human_input', 5000);
      const before = resumes(sim);
      const child = spawn(
        process.execPath,
        [
          BIN,
          'run',
          'workflows/resume.yml',
          '--durable',
          '--database',
          pg.url,
          '--server',
          sim.url,
          ...inputs(kickoffId),
          '--poll-interval',
          '100ms',
        ],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.stdout.resume();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // In the poll phase: POST /resume answered and a few polls after it.
      const until = Date.now() + 15_000;
      while (polls(sim, kickoffId) < 4) {
        assert.ok(Date.now() < until, `the run did not reach its poll phase: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGKILL');
      await exited;
      assert.equal(resumes(sim) - before, 1);
      const runId = /durable run ([0-9a-f-]{36})/.exec(stderr)?.[1];
      assert.ok(runId !== undefined, `no run id on stderr: ${stderr}`);

      const shown = await runArazzo(['runs', 'show', runId, '--database', pg.url, '--json']);
      assert.equal(shown.code, 0, shown.stderr);
      const details = JSON.parse(shown.stdout) as { status: string; currentStep?: string };
      assert.equal(details.status, 'running', 'a killed run stays unfinished');
      assert.equal(details.currentStep, 'resume-paused-execution/pollUntilDone');

      // The token is never stored: resuming without it names it, and resumes nothing.
      const refused = await runArazzo(['runs', 'resume', runId, '--database', pg.url]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /secret input bearerToken .*--input bearerToken=/);

      const resumed = await runArazzo([
        'runs',
        'resume',
        runId,
        '--database',
        pg.url,
        '--input',
        `bearerToken=${TOKEN}`,
        '--json',
      ]);
      assert.equal(resumed.code, 0, resumed.stderr);
      const report = JSON.parse(resumed.stdout) as {
        runId: string;
        success: boolean;
        outputs: Record<string, unknown>;
      };
      assert.equal(report.runId, runId);
      assert.equal(report.success, true);
      assert.deepEqual(report.outputs, expected);
      assert.equal(resumes(sim) - before, 1, 'POST /resume reached the server exactly once');

      const listed = await runArazzo(['runs', '--database', pg.url, '--json']);
      const runs = (JSON.parse(listed.stdout) as { runs: { runId: string; status: string }[] })
        .runs;
      assert.equal(runs.find((r) => r.runId === runId)?.status, 'succeeded');

      const dump = pg.dump();
      assert.ok(dump.includes(kickoffId), 'the dump holds the run');
      assert.ok(!dump.includes(TOKEN), 'the token is in the database');
      for (const out of [stderr, shown, refused, resumed, listed].map((r) =>
        typeof r === 'string' ? r : r.stdout + r.stderr,
      )) {
        assert.ok(!out.includes(TOKEN), 'the token leaked');
        assert.ok(!out.includes(pg.password), 'the database password leaked');
      }
    } finally {
      await sim.close();
      await pg.close();
    }
  },
);
