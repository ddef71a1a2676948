import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../examples/crewai/simulator/index.js';
import { httpSession, startHttpServer, type HttpProcess } from '../_helpers/mcp-client.js';

/** `arazzo mcp --http`: Streamable HTTP at /mcp with the transport's security rules. */
const TOKEN = 'sim-token-http-51d0';
const MCP_TOKEN = 'mcp-bearer-9b2c7e11';
const TOOL = 'resume-paused-execution';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 't', version: '0' },
  },
});

/** A raw POST with the headers given (Host included, which fetch cannot set). */
function post(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(INITIALIZE);
  });
}

describe('arazzo mcp --http', () => {
  let sim: Simulator;
  let server: HttpProcess;
  before(async () => {
    sim = await startSimulator({ tokens: [TOKEN], taskDurationMs: 100 });
    server = await startHttpServer(
      [
        'workflows/resume.yml',
        '--server',
        sim.url,
        '--input',
        `bearerToken=${TOKEN}`,
        '--poll-interval',
        '20ms',
        '--http',
        '127.0.0.1:0',
      ],
      { ARAZZO_MCP_TOKEN: MCP_TOKEN },
    );
  });
  after(async () => {
    await server.stop();
    await sim.close();
  });

  test('binds 127.0.0.1 and serves /mcp', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  test('refuses a request without the bearer token, a foreign Origin or Host, another path', async () => {
    const auth = { authorization: `Bearer ${MCP_TOKEN}` };
    assert.equal(await post(server.url, {}), 401);
    assert.equal(await post(server.url, { authorization: 'Bearer wrong' }), 401);
    assert.equal(await post(server.url, { ...auth, origin: 'http://evil.example' }), 403);
    assert.equal(await post(server.url, { ...auth, host: 'evil.example' }), 403);
    assert.equal(await post(server.url.replace(/\/mcp$/, '/other'), auth), 404);
    assert.equal(await post(server.url, auth), 200);
  });

  test('the SDK client lists the tool and runs the workflow with progress', async () => {
    const session = await httpSession(server.url, { authorization: `Bearer ${MCP_TOKEN}` });
    try {
      const { tools } = await session.client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        [TOOL],
      );
      const kickoffId = sim.kickoff({ topic: 'http' });
      await sim.waitForStatus(kickoffId, 'pending_human_input', 10_000);
      const taskId = (sim.status(kickoffId) as { current_task?: string }).current_task ?? '';
      const progress: string[] = [];
      const result = await session.client.callTool(
        {
          name: TOOL,
          arguments: { kickoffId, taskId, humanFeedback: 'via http', isApprove: true },
        },
        undefined,
        { onprogress: (p) => progress.push(p.message ?? '') },
      );
      assert.equal(result.isError, undefined, JSON.stringify(result));
      assert.equal(
        (result.structuredContent as { outputs: Record<string, unknown> }).outputs['finalStatus'],
        'completed',
      );
      assert.equal(progress[0], 'inspectStatus: succeeded (200)');
      for (const message of session.wire) {
        assert.ok(!message.includes(TOKEN) && !message.includes(MCP_TOKEN), message);
      }
    } finally {
      await session.close();
    }
    assert.ok(!server.stderr().includes(TOKEN) && !server.stderr().includes(MCP_TOKEN));
  });

  test('SIGTERM stops the server with exit code 143', async () => {
    const other = await startHttpServer([
      'workflows/resume.yml',
      '--input',
      `bearerToken=${TOKEN}`,
      '--http',
      '0',
    ]);
    assert.equal(await other.stop(), 143);
  });
});
