import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startSimulator, type Simulator } from '../../examples/crewai/simulator/index.js';
import { stdioSession, type McpSession } from '../_helpers/mcp-client.js';

/**
 * `arazzo mcp` over stdio, driven by the MCP SDK's own client against the bundled CrewAI
 * simulator: the tools it lists, calls to completion, bad arguments, cancellation, tasks,
 * elicitation, resources, and the token never on the wire.
 */
const TOKEN = 'sim-token-7f3a9c2e';
const TOOL = 'resume-paused-execution';

async function pausedExecution(sim: Simulator): Promise<{ kickoffId: string; taskId: string }> {
  const kickoffId = sim.kickoff({ topic: 'MCP' });
  await sim.waitForStatus(kickoffId, 'pending_human_input', 10_000);
  const status = sim.status(kickoffId) as { current_task?: string };
  return { kickoffId, taskId: status.current_task ?? '' };
}

function serverArgs(sim: Simulator, ...more: string[]): string[] {
  return [
    'workflows/resume.yml',
    '--server',
    sim.url,
    '--input',
    `bearerToken=${TOKEN}`,
    '--poll-interval',
    '20ms',
    ...more,
  ];
}

function noSecret(session: McpSession): void {
  assert.ok(session.wire.length > 0, 'the messages were recorded');
  for (const message of session.wire) assert.ok(!message.includes(TOKEN), message);
  assert.ok(!session.stderr().includes(TOKEN), session.stderr());
}

describe('arazzo mcp over stdio', () => {
  let sim: Simulator;
  let session: McpSession;
  before(async () => {
    sim = await startSimulator({ tokens: [TOKEN], taskDurationMs: 150 });
    session = await stdioSession(serverArgs(sim));
  });
  after(async () => {
    await session.close();
    await sim.close();
  });

  test('lists one typed tool per workflow; fixed and secret inputs are not in its schema', async () => {
    const { tools } = await session.client.listTools();
    assert.deepEqual(
      tools.map((tool) => tool.name),
      [TOOL],
    );
    const tool = tools[0];
    assert.ok(tool);
    assert.equal(
      tool.title,
      'Inspect a known execution, submit human feedback, and poll until it settles.',
    );
    assert.match(tool.description ?? '', /Steps:\n- inspectStatus: Read the current status/);
    assert.deepEqual(Object.keys(tool.inputSchema.properties ?? {}).sort(), [
      'humanFeedback',
      'isApprove',
      'kickoffId',
      'taskId',
    ]);
    assert.deepEqual(tool.inputSchema.required, [
      'kickoffId',
      'taskId',
      'humanFeedback',
      'isApprove',
    ]);
    const isApprove = (tool.inputSchema.properties as Record<string, Record<string, unknown>>)[
      'isApprove'
    ];
    assert.equal(isApprove?.['type'], 'boolean');
    assert.match(String(isApprove?.['description']), /True to proceed/);
    const outputs = (
      tool.outputSchema?.properties?.['outputs'] as { properties: Record<string, unknown> }
    ).properties;
    assert.deepEqual(Object.keys(outputs).sort(), [
      'error',
      'executionTime',
      'finalStatus',
      'output',
      'resumeStatus',
      'tasks',
    ]);
    assert.equal(tool.annotations?.readOnlyHint, false, 'POST /resume is not read-only');
    assert.equal(tool.annotations?.openWorldHint, true);
    assert.equal(tool.execution?.taskSupport, 'optional');
  });

  test('a call runs the workflow to completion, with progress per step and poll', async () => {
    const { kickoffId, taskId } = await pausedExecution(sim);
    const progress: string[] = [];
    const result = await session.client.callTool(
      {
        name: TOOL,
        arguments: { kickoffId, taskId, humanFeedback: 'Looks good', isApprove: true },
      },
      undefined,
      { onprogress: (p) => progress.push(p.message ?? '') },
    );
    assert.equal(result.isError, undefined, JSON.stringify(result));
    const structured = result.structuredContent as {
      success: boolean;
      outputs: Record<string, unknown>;
      steps: { stepId: string }[];
    };
    assert.equal(structured.success, true);
    assert.equal(structured.outputs['finalStatus'], 'completed');
    assert.equal(structured.outputs['resumeStatus'], 'resumed');
    assert.deepEqual(
      structured.steps.slice(0, 2).map((s) => s.stepId),
      ['inspectStatus', 'submitFeedback'],
    );
    assert.equal(progress[0], 'inspectStatus: succeeded (200)');
    assert.equal(progress[1], 'submitFeedback: succeeded (200)');
    assert.ok(
      progress.some((line) => /^pollUntilDone: waiting \d+ ms before poll 2$/.test(line)),
      progress.join('\n'),
    );
    const resume = sim.requests.find((r) => r.method === 'POST' && r.path === '/resume');
    assert.deepEqual(resume?.body, {
      execution_id: kickoffId,
      task_id: taskId,
      human_feedback: 'Looks good',
      is_approve: true,
    });
    assert.equal(resume?.headers['authorization'], `Bearer ${TOKEN}`);
    noSecret(session);
  });

  test('bad arguments are an isError result naming each problem, and nothing is sent', async () => {
    const before = sim.requests.length;
    const wrongType = await session.client.callTool({
      name: TOOL,
      arguments: { kickoffId: 'k', taskId: 't', humanFeedback: 'x', isApprove: 'yes' },
    });
    assert.equal(wrongType.isError, true);
    assert.match(JSON.stringify(wrongType.content), /isApprove must be boolean/);
    const missing = await session.client.callTool({ name: TOOL, arguments: { kickoffId: 'k' } });
    assert.equal(missing.isError, true);
    assert.match(
      JSON.stringify(missing.content),
      /taskId, humanFeedback, isApprove; nothing was sent/,
    );
    const fixed = await session.client.callTool({
      name: TOOL,
      arguments: {
        kickoffId: 'k',
        taskId: 't',
        humanFeedback: 'x',
        isApprove: true,
        bearerToken: 'other',
      },
    });
    assert.equal(fixed.isError, true);
    assert.match(JSON.stringify(fixed.content), /"bearerToken\\" is set by the server's operator/);
    assert.equal(sim.requests.length, before, 'no request reached the API');
    await assert.rejects(
      session.client.callTool({ name: 'no-such-tool', arguments: {} }),
      /unknown tool/,
    );
  });

  test('a failed workflow is an isError result that names the step and why', async () => {
    const result = await session.client.callTool({
      name: TOOL,
      arguments: { kickoffId: 'no-such-kickoff', taskId: 't', humanFeedback: 'x', isApprove: true },
    });
    assert.equal(result.isError, true);
    const text = JSON.stringify(result.content);
    assert.match(text, /failed at step inspectStatus/);
    assert.match(text, /404/);
    assert.equal((result.structuredContent as { success: boolean }).success, false);
  });

  test('a task-augmented call outlives its request and is polled to its result', async () => {
    const { kickoffId, taskId } = await pausedExecution(sim);
    const stream = session.client.experimental.tasks.callToolStream(
      {
        name: TOOL,
        arguments: { kickoffId, taskId, humanFeedback: 'Ship it', isApprove: true },
      },
      undefined,
      { task: { ttl: 60_000 } },
    );
    const kinds: string[] = [];
    let final: Record<string, unknown> | undefined;
    let taskId2: string | undefined;
    for await (const message of stream) {
      kinds.push(message.type);
      if (message.type === 'taskCreated') taskId2 = message.task.taskId;
      if (message.type === 'result') final = message.result;
      if (message.type === 'error') throw message.error;
    }
    assert.equal(kinds[0], 'taskCreated');
    assert.equal(kinds.at(-1), 'result');
    assert.ok(taskId2);
    const structured = final?.['structuredContent'] as {
      success: boolean;
      outputs: Record<string, unknown>;
    };
    assert.equal(structured.success, true);
    assert.equal(structured.outputs['finalStatus'], 'completed');
    const task = await session.client.experimental.tasks.getTask(taskId2);
    assert.equal(task.status, 'completed');
    noSecret(session);
  });

  test('resources: the document, its description and each workflow graph', async () => {
    const { resources } = await session.client.listResources();
    assert.deepEqual(
      resources.map((r) => r.uri),
      [
        'arazzo://resume/document',
        'arazzo://resume/describe',
        `arazzo://resume/workflows/${TOOL}/graph`,
      ],
    );
    const graph = await session.client.readResource({
      uri: `arazzo://resume/workflows/${TOOL}/graph`,
    });
    assert.match(JSON.stringify(graph.contents), /flowchart/);
    const describe = await session.client.readResource({ uri: 'arazzo://resume/describe' });
    assert.match(JSON.stringify(describe.contents), /resume-paused-execution/);
    const document = await session.client.readResource({ uri: 'arazzo://resume/document' });
    assert.match(JSON.stringify(document.contents), /arazzo: 1\.0\.1/);
  });
});

describe('arazzo mcp: cancellation', () => {
  test("a client's cancellation stops the run: no request is sent after it", async () => {
    const sim = await startSimulator({ tokens: [TOKEN], taskDurationMs: 150 });
    const session = await stdioSession(serverArgs(sim, '--poll-interval', '50ms'));
    try {
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
      await new Promise((resolve) => setTimeout(resolve, 150));
      const count = sim.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(sim.requests.length, count, 'the server stopped polling');
      assert.ok(polls >= 3);
    } finally {
      await session.close();
      await sim.close();
    }
  });
});

describe('arazzo mcp: elicitation', () => {
  test('a missing input is asked of the user with its schema, when the client can', async () => {
    const sim = await startSimulator({ tokens: [TOKEN], taskDurationMs: 100 });
    const session = await stdioSession(serverArgs(sim), {
      capabilities: { capabilities: { elicitation: { form: {} } } },
    });
    try {
      const asked: unknown[] = [];
      session.client.setRequestHandler(ElicitRequestSchema, (request) => {
        asked.push(request.params);
        return { action: 'accept', content: { humanFeedback: 'From the human', isApprove: true } };
      });
      const { kickoffId, taskId } = await pausedExecution(sim);
      const result = await session.client.callTool({
        name: TOOL,
        arguments: { kickoffId, taskId },
      });
      assert.equal(result.isError, undefined, JSON.stringify(result));
      const params = asked[0] as {
        requestedSchema: { properties: Record<string, { type: string }>; required: string[] };
      };
      assert.deepEqual(params.requestedSchema.required, ['humanFeedback', 'isApprove']);
      assert.equal(params.requestedSchema.properties['isApprove']?.type, 'boolean');
      const resume = sim.requests.find((r) => r.method === 'POST' && r.path === '/resume');
      assert.equal((resume?.body as { human_feedback?: string }).human_feedback, 'From the human');

      session.client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'decline' }));
      const before = sim.requests.length;
      const declined = await session.client.callTool({
        name: TOOL,
        arguments: { kickoffId, taskId },
      });
      assert.equal(declined.isError, true);
      assert.match(JSON.stringify(declined.content), /the user did not give/);
      assert.equal(sim.requests.length, before);
      noSecret(session);
    } finally {
      await session.close();
      await sim.close();
    }
  });
});

describe('arazzo mcp: tasks', () => {
  test('tasks/cancel stops the run: the task is cancelled and no request follows', async () => {
    const sim = await startSimulator({ tokens: [TOKEN], taskDurationMs: 100 });
    const session = await stdioSession(serverArgs(sim, '--poll-interval', '50ms'));
    try {
      const kickoffId = sim.kickoff({ topic: 'long' }, [
        { id: 'review_task', agent: 'Reviewer', humanInput: true, durationMs: 100 },
        { id: 'long_task', agent: 'Writer', durationMs: 60_000 },
      ]);
      await sim.waitForStatus(kickoffId, 'pending_human_input', 10_000);
      const { task } = await session.client.experimental.tasks
        .callToolStream(
          {
            name: TOOL,
            arguments: { kickoffId, taskId: 'review_task', humanFeedback: 'ok', isApprove: true },
          },
          undefined,
          { task: { ttl: 60_000 } },
        )
        .next()
        .then((first) => {
          assert.equal(first.value?.type, 'taskCreated');
          return first.value;
        });
      const polls = (): number =>
        sim.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/status')).length;
      while (polls() < 4) await new Promise((resolve) => setTimeout(resolve, 20));
      const cancelled = await session.client.experimental.tasks.cancelTask(task.taskId);
      assert.equal(cancelled.status, 'cancelled');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const count = sim.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(sim.requests.length, count, 'the run stopped');
      assert.equal(
        (await session.client.experimental.tasks.getTask(task.taskId)).status,
        'cancelled',
      );
    } finally {
      await session.close();
      await sim.close();
    }
  });

  test('a task asks for a missing input through tasks/result', async () => {
    const sim = await startSimulator({ tokens: [TOKEN], taskDurationMs: 100 });
    const session = await stdioSession(serverArgs(sim), {
      capabilities: { capabilities: { elicitation: { form: {} } } },
    });
    try {
      session.client.setRequestHandler(ElicitRequestSchema, () => ({
        action: 'accept',
        content: { humanFeedback: 'asked in a task', isApprove: false },
      }));
      const { kickoffId, taskId } = await pausedExecution(sim);
      const statuses: string[] = [];
      let final: Record<string, unknown> | undefined;
      for await (const message of session.client.experimental.tasks.callToolStream(
        { name: TOOL, arguments: { kickoffId, taskId } },
        undefined,
        { task: { ttl: 60_000 } },
      )) {
        if (message.type === 'taskStatus') statuses.push(message.task.status);
        if (message.type === 'result') final = message.result;
        if (message.type === 'error') throw message.error;
      }
      assert.equal(
        (final?.['structuredContent'] as { success: boolean }).success,
        true,
        JSON.stringify(final),
      );
      const resume = sim.requests.find((r) => r.method === 'POST' && r.path === '/resume');
      assert.deepEqual(
        [
          (resume?.body as Record<string, unknown>)['human_feedback'],
          (resume?.body as Record<string, unknown>)['is_approve'],
        ],
        ['asked in a task', false],
      );
    } finally {
      await session.close();
      await sim.close();
    }
  });
});
