/**
 * A first Ctrl-C (SIGINT) or SIGTERM stops every command promptly (issue 21, F12), also while
 * its source descriptions load: exit 130/143, one line on stderr, nothing on stdout. The source
 * server here answers after 20 s; before the fix `run` went on for those 20 s and exited 2
 * (validate: 1), and only a second signal ended it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import { loadDocument } from '../../src/document/load-document.js';
import { loadSources } from '../../src/sources/load-sources.js';
import { runArazzo } from '../_helpers/cli.js';
import { runInTerminal } from '../_helpers/pty.js';
import { startScriptServer } from '../_helpers/script-server.js';

async function withSlowSource(
  body: (file: string, requested: () => boolean) => Promise<void>,
): Promise<void> {
  const server = await startScriptServer({
    'GET /slow.openapi.yaml': { delayMs: 20_000, body: 'openapi: 3.1.0' },
  });
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-interrupt-'));
  const file = join(dir, 'slow-source.arazzo.yaml');
  await writeFile(
    file,
    `arazzo: 1.0.1
info: {title: a source that takes 20 s, version: "1", description: interrupted while loading}
sourceDescriptions:
  - {name: api, url: "${server.url}/slow.openapi.yaml", type: openapi}
workflows:
  - workflowId: list
    summary: List things.
    steps:
      - stepId: list
        operationId: listThings
        successCriteria: [{condition: $statusCode == 200}]
`,
  );
  try {
    await body(file, () => server.requests.length > 0);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const cases: [string, readonly string[], string][] = [
  ['run', ['run'], 'arazzo: interrupted\n'],
  ['validate', ['validate'], 'arazzo validate: interrupted\n'],
  ['describe', ['describe'], 'arazzo describe: interrupted\n'],
  ['graph', ['graph'], 'arazzo graph: interrupted\n'],
];

for (const [name, command, line] of cases) {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${signal} while ${name} loads its sources: exit ${code} at once, one line`, async () => {
      await withSlowSource(async (file, requested) => {
        let pid = 0;
        const running = runArazzo([...command, file], { onSpawn: (id) => (pid = id) });
        while (!requested()) await new Promise((resolve) => setTimeout(resolve, 10));
        const sent = Date.now();
        process.kill(pid, signal);
        const run = await running;
        const took = Date.now() - sent;
        assert.equal(run.code, code, `stdout: ${run.stdout}\nstderr: ${run.stderr}`);
        assert.equal(run.stderr, line);
        assert.equal(run.stdout, '');
        assert.ok(took < 3000, `stopped ${took} ms after the signal`);
      });
    });
  }
}

// In-process, without bin.ts's safety net: the signal itself reaches the fetches.
test('runCli: an aborted signal stops validate, describe and run while sources load', async () => {
  for (const [command, line] of [
    ['validate', 'arazzo validate: interrupted\n'],
    ['describe', 'arazzo describe: interrupted\n'],
    ['run', 'arazzo: interrupted\n'],
  ] as const) {
    await withSlowSource(async (file, requested) => {
      const out: string[] = [];
      const err: string[] = [];
      const io = {
        stdout: (text: string) => void out.push(text),
        stderr: (text: string) => void err.push(text),
        env: {},
        cwd: process.cwd(),
        stdoutIsTTY: false,
        stdinIsTTY: false,
      };
      const controller = new AbortController();
      const running = runCli([command, file], io, controller.signal);
      while (!requested()) await new Promise((resolve) => setTimeout(resolve, 10));
      const started = Date.now();
      controller.abort('SIGTERM');
      assert.equal(await running, 143, err.join(''));
      assert.ok(Date.now() - started < 2000, `${command} took ${Date.now() - started} ms`);
      assert.deepEqual(err, [line]);
      assert.deepEqual(out, []);
    });
  }
});

test('loadSources: aborting its signal ends a fetch at once', async () => {
  await withSlowSource(async (file, requested) => {
    const loaded = await loadDocument(file);
    const controller = new AbortController();
    const loading = loadSources(loaded, { signal: controller.signal });
    while (!requested()) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    controller.abort('SIGINT');
    const { sources, errors } = await loading;
    assert.ok(Date.now() - started < 1000);
    assert.equal(sources.size, 0);
    assert.equal(errors.length, 1);
  });
});

// At a terminal readline reads in raw mode: Ctrl-C is a keystroke there, not a signal. Before the
// fix it only closed the prompt, and the run went on to "missing required inputs" (exit 2).
test('Ctrl-C at an input prompt stops the run: exit 130, one line', async () => {
  const run = await runInTerminal(
    ['run', 'workflows/resume.yml', '--server', 'http://127.0.0.1:9'],
    {
      answers: [[/bearerToken[^\n]*: /, '\u0003']],
    },
  );
  assert.equal(run.code, 130, run.output);
  assert.match(run.output, /\r?\narazzo: interrupted\r?\n$/);
  assert.doesNotMatch(run.output, /missing required input/);
});
