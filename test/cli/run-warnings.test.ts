import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand, type RunCommandOptions } from '../../src/cli/commands/run.js';
import type { CliIo } from '../../src/cli/io.js';
import { startScriptServer } from '../_helpers/script-server.js';
import { ROOT } from '../_helpers/cli.js';

// `arazzo run` validates first: errors refuse the run, and the warnings that concern the
// selected workflow (issue 20) are said once on stderr, before anything the run prints, one
// line each as `validate` heads them; with --json the result object lists them as well.

const FILE = 'test/fixtures/run/validate-warnings-shown/arazzo.yaml';
const SHOWN = ['source-type-missing', 'retry-then-transfer', 'success-criteria-missing'];

async function run(
  options: RunCommandOptions,
): Promise<{ code: number; writes: { to: 'stdout' | 'stderr'; text: string }[] }> {
  const server = await startScriptServer({
    'GET /flaky': { status: 500 },
    'GET /status': { body: { state: 'ok' } },
  });
  const writes: { to: 'stdout' | 'stderr'; text: string }[] = [];
  const io: CliIo = {
    stdout: (text) => void writes.push({ to: 'stdout', text }),
    stderr: (text) => void writes.push({ to: 'stderr', text }),
    env: {},
    cwd: ROOT,
    stdoutIsTTY: false,
    stdinIsTTY: false,
  };
  try {
    const code = await runCommand(
      FILE,
      { workflow: 'main', server: [`api=${server.url}`], pollInterval: '0', ...options },
      io,
    );
    return { code, writes };
  } finally {
    await server.close();
  }
}

const text = (writes: { to: string; text: string }[], to: string) =>
  writes
    .filter((w) => w.to === to)
    .map((w) => w.text)
    .join('');

test('run says the workflow’s warnings on stderr, once each, before its own output', async () => {
  const { code, writes } = await run({});
  assert.equal(code, 0, text(writes, 'stderr'));
  const stderr = text(writes, 'stderr');
  const lines = stderr.trimEnd().split('\n');
  assert.deepEqual(
    lines.map((line) => / {2}warning {2}(\S+) {2}/.exec(line)?.[1]),
    SHOWN,
    stderr,
  );
  // validate's head line, with the file as the user wrote it.
  assert.match(
    lines[1] ?? '',
    /^test\/fixtures\/run\/validate-warnings-shown\/arazzo\.yaml:20:13 {2}warning {2}retry-then-transfer {2}when the retries of "again" are used up/,
  );
  // Not the unreached workflow's, not the documentation lint.
  assert.doesNotMatch(stderr, /"other"|description-missing/);
  // Every stderr line comes before the first line the run prints.
  const firstOut = writes.findIndex((w) => w.to === 'stdout');
  const lastErr = writes.findLastIndex((w) => w.to === 'stderr');
  assert.ok(firstOut > lastErr, 'warnings before the run output');
  assert.doesNotMatch(text(writes, 'stdout'), /retry-then-transfer/);
});

test('with --json the result lists them under diagnostics; stdout stays one object', async () => {
  const { code, writes } = await run({ json: true });
  assert.equal(code, 0, text(writes, 'stderr'));
  const result = JSON.parse(text(writes, 'stdout')) as {
    success: boolean;
    diagnostics?: { severity: string; code: string; file: string; line?: number }[];
    warnings?: unknown;
  };
  assert.equal(result.success, true);
  assert.deepEqual(
    result.diagnostics?.map((d) => d.code),
    SHOWN,
  );
  assert.deepEqual(result.diagnostics?.[1], {
    severity: 'warning',
    code: 'retry-then-transfer',
    message:
      'when the retries of "again" are used up, "recover" transfers to workflow "fallback": the run\'s result becomes that workflow\'s, so step "flaky" failing does not fail the run (some runners fail there)',
    file: FILE,
    pointer: '/workflows/0/steps/0/onFailure/1',
    line: 20,
    column: 13,
  });
  assert.equal(result.warnings, undefined, 'the run’s own warnings stay apart');
  assert.equal(text(writes, 'stderr').match(/retry-then-transfer/g)?.length, 1);
});
