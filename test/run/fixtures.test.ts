import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { ROOT } from '../_helpers/cli.js';
import { caseArgs, checkCase, loadRunCases, type CaseRun } from '../_helpers/run-case.js';
import { startScriptServer } from '../_helpers/script-server.js';
import { VirtualClock } from '../_helpers/virtual-clock.js';

/**
 * Every case of test/fixtures/run/ (run-case.ts) through the real CLI in this process
 * (`runCli`, as bin.ts calls it) against a real local server, on a virtual clock: a case's
 * paced polls and retry delays take no time, and `minDurationMs` is checked on the run's own
 * clock, with the waits that made it up. test/run/fixtures-binary.test.ts runs a few of the
 * same cases through the installed binary on the real clock.
 */
for (const fixture of await loadRunCases()) {
  const { spec } = fixture;
  test(`${fixture.name}: ${spec.description}`, async () => {
    const server = await startScriptServer(spec.server);
    try {
      const clock = new VirtualClock();
      const started = Date.now();
      const run = {
        ...(await runInProcess(caseArgs(fixture, server), spec.env ?? {}, clock)),
        wallMs: Date.now() - started,
      };
      const result = checkCase(spec, run, server);
      const min = spec.expect.minDurationMs;
      if (min !== undefined && result !== undefined) {
        assert.ok(result.durationMs >= min, `ran ${result.durationMs} ms`);
        // Paced waits go through the clock; a slow server (request-timeout-long) takes real time.
        assert.ok(
          clock.waitedMs >= min || run.wallMs >= min,
          `waited ${clock.waitedMs} ms on the clock, ${run.wallMs} ms in all`,
        );
      }
    } finally {
      await server.close();
    }
  });
}

async function runInProcess(
  args: readonly string[],
  env: Record<string, string>,
  clock: VirtualClock,
): Promise<Omit<CaseRun, 'wallMs'>> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { ...process.env, NO_COLOR: '1', ...env },
    cwd: ROOT,
    stdoutIsTTY: false,
    stdinIsTTY: false,
    clock,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
