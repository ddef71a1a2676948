import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../src/cli/commands/run.js';
import type { CliIo } from '../../src/cli/io.js';
import { startScriptServer } from '../_helpers/script-server.js';

// `CliIo.beforeRun` is where the CLI sets its V8 flags (bin.ts): after everything `run` loads
// (a flag set earlier costs Node its code cache), before the first request (the wasm tiering
// budget is read when undici's first connection instantiates its HTTP parser).

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKFLOW = 'bench/poll.arazzo.yaml';

test('beforeRun is called once, before the first request', async () => {
  const server = await startScriptServer({
    'GET /status/job-1': [{ body: { status: 'running' } }, { body: { status: 'completed' } }],
    'POST /resume': { body: { status: 'resumed' } },
  });
  // Each call records how many requests the server had seen by then.
  const calls: number[] = [];
  let stderr = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (text) => void (stderr += text),
    env: {},
    cwd: ROOT,
    stdoutIsTTY: false,
    stdinIsTTY: false,
    beforeRun: () => void calls.push(server.requests.length),
  };
  try {
    const code = await runCommand(
      WORKFLOW,
      { server: [`jobs=${server.url}`], input: ['token=t', 'jobId=job-1'], pollInterval: '0' },
      io,
    );
    assert.equal(code, 0, stderr);
    assert.deepEqual(calls, [0]);
    assert.equal(server.requests.length, 3);
  } finally {
    await server.close();
  }
});
