/**
 * CI smoke of the benchmark: `node dist/bench/run.js --quick` runs every part (server, runner,
 * baseline, start-up, memory, durable runs) with a small K and completes. Timing is never
 * asserted: only that the run finishes, exits 0 and prints its table.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUN = fileURLToPath(new URL('../../bench/run.js', import.meta.url));

function runQuick(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, '--quick'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // SIGINT lets the bench stop its server and children before it exits.
    const timer = setTimeout(() => child.kill('SIGINT'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('npm run bench -- --quick completes and prints its table', { timeout: 300_000 }, async () => {
  const { code, stdout, stderr } = await runQuick();
  assert.equal(code, 0, `exit ${code}\n${stdout}\n${stderr}`);
  for (const heading of [
    '## Same requests',
    '## Poll loop: cost per iteration',
    '## Start-up',
    '## Peak memory',
    '## Validate scaling',
    '## Durable runs',
    '## Micro benchmarks',
    '## Summary',
  ]) {
    assert.ok(stdout.includes(heading), `missing "${heading}" in\n${stdout}`);
  }
  for (const figure of [
    'wall per poll iteration',
    '3-step run (K=1) vs baseline script',
    'arazzo --help vs node -e 0',
    'arazzo validate',
    'peak RSS at K=',
    'validate 1000 steps',
    '--help, plain run: no DBOS/pg/broker clients',
  ]) {
    assert.ok(stdout.includes(figure), `missing "${figure}" in\n${stdout}`);
  }
  // Without Postgres the durable section is one reason; with it, both of its tables.
  const durable = stdout.slice(stdout.indexOf('## Durable runs'));
  if (!/^ {4}skipped: /m.test(durable))
    for (const figure of [
      'wall per poll iteration',
      'fixed cost (intercept at K=0)',
      'N=4 workers',
    ])
      assert.ok(durable.includes(figure), `missing "${figure}" in\n${durable}`);
});
