import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, runArazzo } from '../_helpers/cli.js';
import { startScriptServer } from '../_helpers/script-server.js';

// SIGINT/SIGTERM abort the in-flight request, report what ran, and exit 130/143 promptly.
const FIXTURE = join(ROOT, 'test/fixtures/run/request-timeout/arazzo.yaml');

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} during a request ends the run with exit ${code} and a report`, async () => {
    const server = await startScriptServer({ 'GET /slow': { delayMs: 20_000, body: {} } });
    try {
      let pid = 0;
      const started = Date.now();
      const running = runArazzo(['run', FIXTURE, '--server', `api=${server.url}`, '--json'], {
        onSpawn: (id) => (pid = id),
      });
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      process.kill(pid, signal);
      const run = await running;
      assert.equal(run.code, code, run.stderr);
      assert.ok(Date.now() - started < 10_000, 'the run stops promptly, no timer keeps it alive');
      const result = JSON.parse(run.stdout) as { success: boolean; error?: { code: string } };
      assert.equal(result.success, false);
      assert.equal(result.error?.code, 'ABORTED');
    } finally {
      await server.close();
    }
  });
}

// A condition evaluation in progress is interrupted too (issue 21, F4: a backtracking regex used
// to hold the process until SIGKILL). Its own bound is set far beyond the test's wait.
const REDOS = join(ROOT, 'test/fixtures/run/condition-redos-bounded/arazzo.yaml');

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} during a condition evaluation ends the run with exit ${code}`, async () => {
    const server = await startScriptServer({ 'GET /status': { body: 'a'.repeat(40) + '!' } });
    try {
      let pid = 0;
      const running = runArazzo(
        ['run', REDOS, '--server', `api=${server.url}`, '--json', '--condition-timeout', '60s'],
        { onSpawn: (id) => (pid = id) },
      );
      let ended = false;
      void running.then(() => (ended = true));
      while (server.requests.length === 0 && !ended)
        await new Promise((resolve) => setTimeout(resolve, 10));
      // The response is read and the condition under way.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const signalled = Date.now();
      process.kill(pid, signal);
      const run = await running;
      assert.equal(run.code, code, run.stderr);
      assert.ok(
        Date.now() - signalled < 5_000,
        `exited ${Date.now() - signalled} ms after ${signal}`,
      );
      const result = JSON.parse(run.stdout) as { success: boolean; error?: { code: string } };
      assert.equal(result.success, false);
      assert.equal(result.error?.code, 'ABORTED');
    } finally {
      await server.close();
    }
  });
}
