import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../examples/crewai/simulator/index.js';
import { runArazzo } from '../_helpers/cli.js';
import { stdioSession, type McpSession } from '../_helpers/mcp-client.js';
import { postgresUnavailable, startPostgres, type Postgres } from '../_helpers/postgres.js';

// Issue 17 with issue 16: `arazzo mcp --durable` runs each call as a durable run (POSITIONS §15):
// `arazzo runs` lists it, a client's cancellation cancels it, and no secret reaches the database.

const TOKEN = 'mcp-durable-token-41c8';
const TOOL = 'resume-paused-execution';
const skip = postgresUnavailable();

describe('arazzo mcp --durable', { skip }, () => {
  let pg: Postgres;
  let sim: Simulator;
  let session: McpSession;
  before(async () => {
    pg = await startPostgres();
    sim = await startSimulator({ tokens: [TOKEN], taskDurationMs: 150 });
    session = await stdioSession([
      'workflows/resume.yml',
      '--durable',
      '--database',
      pg.url,
      '--server',
      sim.url,
      '--input',
      `bearerToken=${TOKEN}`,
      '--poll-interval',
      '50ms',
    ]);
  });
  after(async () => {
    await session?.close();
    await sim?.close();
    await pg?.close();
  });

  test('a call is a durable run: its id in the result, listed by arazzo runs, succeeded', async () => {
    const kickoffId = sim.kickoff({ topic: 'durable MCP' });
    await sim.waitForStatus(kickoffId, 'pending_human_input', 10_000);
    const taskId = (sim.status(kickoffId) as { current_task?: string }).current_task ?? '';
    const result = await session.client.callTool({
      name: TOOL,
      arguments: { kickoffId, taskId, humanFeedback: 'Durable.', isApprove: true },
    });
    assert.equal(result.isError, undefined, JSON.stringify(result));
    const structured = result.structuredContent as {
      runId?: string;
      success: boolean;
      outputs: Record<string, unknown>;
    };
    assert.equal(structured.success, true);
    assert.match(structured.runId ?? '', /^[0-9a-f-]{36}$/);
    const shown = await runArazzo([
      'runs',
      'show',
      structured.runId ?? '',
      '--database',
      pg.url,
      '--json',
    ]);
    assert.equal(shown.code, 0, shown.stderr);
    const details = JSON.parse(shown.stdout) as {
      status: string;
      result?: { outputs: Record<string, unknown> };
    };
    assert.equal(details.status, 'succeeded');
    assert.deepEqual(details.result?.outputs, structured.outputs);
    assert.ok(!pg.dump().includes(TOKEN), 'the token is in the database');
    for (const message of session.wire) assert.ok(!message.includes(TOKEN), message);
  });

  test("a client's cancellation cancels the durable run: no request follows it", async () => {
    const kickoffId = sim.kickoff({ topic: 'long' }, [
      { id: 'review_task', agent: 'Reviewer', humanInput: true, durationMs: 100 },
      { id: 'long_task', agent: 'Writer', durationMs: 60_000 },
    ]);
    await sim.waitForStatus(kickoffId, 'pending_human_input', 10_000);
    const taskId = (sim.status(kickoffId) as { current_task?: string }).current_task ?? '';
    const controller = new AbortController();
    let polls = 0;
    const call = session.client.callTool(
      { name: TOOL, arguments: { kickoffId, taskId, humanFeedback: 'ok', isApprove: true } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (p) => {
          if (/^pollUntilDone: succeeded/.test(p.message ?? '') && ++polls === 3)
            controller.abort();
        },
      },
    );
    await assert.rejects(call, /AbortError|aborted/i);
    // Cancelled at its next checkpoint (POSITIONS §15.4): at most the request in flight.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const count = sim.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(sim.requests.length, count, 'the server stopped polling');
    const listed = await runArazzo(['runs', '--database', pg.url, '--json']);
    const runs = (JSON.parse(listed.stdout) as { runs: { status: string }[] }).runs;
    assert.deepEqual(runs.map((r) => r.status).sort(), ['cancelled', 'succeeded']);
  });
});

test('arazzo mcp --durable without a database says so in one line, exit 2', async () => {
  const run = await runArazzo(
    ['mcp', 'workflows/resume.yml', '--durable', '--input', 'bearerToken=t'],
    {
      env: { ARAZZO_DATABASE_URL: '' },
    },
  );
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^arazzo mcp: durable runs need a Postgres database: --database/m);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
});
