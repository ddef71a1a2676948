import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../_helpers/cli.js';

// The library example from the README runs as written.
test('examples/embed-engine runs the resume workflow through the library API', async () => {
  const script = fileURLToPath(new URL('../../examples/embed-engine.js', import.meta.url));
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--unhandled-rejections=strict', script], {
        cwd: ROOT,
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out }));
    },
  );
  assert.equal(code, 0, stdout);
  assert.match(stdout, /steps: inspectStatus 200, submitFeedback 200, pollUntilDone 200/);
  assert.match(stdout, /success: true, finalStatus: completed/);
});
