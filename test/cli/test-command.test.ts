import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runArazzo } from '../_helpers/cli.js';
import { startScriptServer, type Script } from '../_helpers/script-server.js';

// `arazzo test` end to end: the real binary over a folder of documents, against a real local
// server (fixtures in test/fixtures/test-command/).

const SUITE = 'test/fixtures/test-command/suite';
const CANARY = 'canary-header-Hq71';

const SCRIPT: Script = {
  'POST /token': { body: { token: 'abc' } },
  'GET /things/abc': { body: { id: 'abc' } },
  'GET /things/widget': { body: { id: 'widget' } },
  'GET /status': { body: { state: 'down' } },
};

interface Summary {
  success: boolean;
  summary: { passed: number; failed: number; notRun: number; durationMs: number };
  workflows: {
    file: string;
    workflowId: string;
    status: string;
    reason?: string;
    result?: { success: boolean; outputs: Record<string, unknown> };
  }[];
}

test('a folder: every workflow runs once, dependencies first; a failure and missing inputs fail the suite; every report says so', async () => {
  const server = await startScriptServer(SCRIPT);
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-test-cmd-'));
  try {
    const junit = join(dir, 'junit.xml');
    const html = join(dir, 'report.html');
    const args = [
      'test',
      SUITE,
      '--server',
      server.url,
      '-H',
      `Authorization: Bearer ${CANARY}`,
      '--concurrency',
      '1',
    ];
    const human = await runArazzo([...args, '--junit', junit, '--html', html]);
    assert.equal(human.code, 1, human.stderr);
    const lines = human.stdout.split('\n');
    const at = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line));
    assert.ok(at(/^✔ setup /) >= 0, human.stdout);
    assert.ok(at(/^✔ main /) > at(/^✔ setup /), 'a dependency ends before its dependent starts');
    assert.match(human.stdout, /^✖ status-up {2}test\/fixtures\/test-command\/suite\/more\//m);
    assert.match(human.stdout, /^ {4}.*status/m);
    assert.match(human.stdout, /^– thing-by-name .*not run: missing inputs name$/m);
    assert.match(human.stdout, /^2 passed, 1 failed, 1 not run in /m);
    // notes.yaml is no Arazzo document name: not picked up.
    assert.doesNotMatch(human.stdout + human.stderr, /notes\.yaml/);

    const xml = await readFile(junit, 'utf8');
    assert.match(
      xml,
      /<testsuites name="arazzo test" tests="\d+" failures="1" errors="0" skipped="1"/,
    );
    assert.equal(xml.match(/<testsuite /g)?.length, 4);
    assert.match(xml, /<testsuite name="thing-by-name"[^>]*skipped="1"/);
    assert.match(xml, /<skipped message="missing inputs name"/);
    // main's suite holds the steps of the dependency its run ran first, under setup's name.
    assert.match(
      xml,
      /<testsuite name="main" tests="2"[^]*?classname="setup"[^]*?classname="main"/,
    );
    const page = await readFile(html, 'utf8');
    for (const id of ['setup', 'main', 'status-up']) assert.ok(page.includes(id), id);
    assert.doesNotMatch(page, /<script/i);

    const json = await runArazzo([...args, '--json']);
    assert.equal(json.code, 1, json.stderr);
    const report = JSON.parse(json.stdout) as Summary;
    assert.equal(report.success, false);
    assert.deepEqual(
      { ...report.summary, durationMs: 0 },
      { passed: 2, failed: 1, notRun: 1, durationMs: 0 },
    );
    const byId = new Map(report.workflows.map((w) => [w.workflowId, w]));
    assert.deepEqual(byId.get('main')?.result?.outputs, {});
    assert.deepEqual(byId.get('setup')?.result?.outputs, { token: 'abc' });
    assert.equal(byId.get('status-up')?.status, 'failed');
    assert.equal(byId.get('thing-by-name')?.status, 'not-run');
    assert.equal(byId.get('thing-by-name')?.reason, 'missing inputs name');
    assert.equal(
      server.requests.filter((r) => r.url.startsWith('/things/widget')).length,
      0,
      'a workflow not run sends nothing',
    );

    for (const [name, text] of [
      ['stdout', human.stdout + json.stdout],
      ['stderr', human.stderr + json.stderr],
      ['junit', xml],
      ['html', page],
    ] as const)
      assert.ok(!text.includes(CANARY), `${name} holds the Authorization header`);
    assert.ok(server.requests.every((r) => r.headers['authorization'] === `Bearer ${CANARY}`));
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('--workflow globs select; --input and --inputs per workflowId give inputs; --skip-missing-inputs passes what cannot run', async () => {
  const server = await startScriptServer(SCRIPT);
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-test-cmd-'));
  try {
    const base = ['test', SUITE, '--server', server.url];
    const given = await runArazzo([...base, '--workflow', 'thing-*', '--input', 'name=widget']);
    assert.equal(given.code, 0, given.stdout + given.stderr);
    assert.match(given.stdout, /^✔ thing-by-name /m);
    assert.match(given.stdout, /^1 passed, 0 failed, 0 not run/m);

    const inputs = join(dir, 'inputs.json');
    await writeFile(inputs, JSON.stringify({ 'thing-by-name': { name: 'widget' } }));
    const keyed = await runArazzo([...base, '--workflow', '*-by-*', '--inputs', inputs]);
    assert.equal(keyed.code, 0, keyed.stdout + keyed.stderr);

    const skipped = await runArazzo([
      ...base,
      '--workflow',
      'main',
      '--workflow',
      'thing-by-name',
      '--skip-missing-inputs',
    ]);
    assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
    assert.match(skipped.stdout, /^1 passed, 0 failed, 1 not run/m);
    const notSkipped = await runArazzo([...base, '--workflow', 'thing-by-name']);
    assert.equal(notSkipped.code, 1, 'missing inputs fail the suite by default');

    const none = await runArazzo([...base, '--workflow', 'nothing-*']);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'arazzo test: no workflow matches --workflow nothing-*\n');
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('discovery: node_modules and dot folders are skipped; no document or a missing path is a one-line usage error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-test-find-'));
  try {
    const shared = join(ROOT, 'test/fixtures/run/_shared');
    const document = (await readFile(join(ROOT, SUITE, 'orders.arazzo.yaml'), 'utf8')).replace(
      '../../run/_shared/api.openapi.yaml',
      join(shared, 'api.openapi.yaml'),
    );
    for (const folder of ['node_modules/pkg', '.cache']) {
      await mkdir(join(dir, folder), { recursive: true });
      await writeFile(join(dir, folder, 'x.arazzo.yaml'), document);
    }
    await cp(join(ROOT, SUITE, 'notes.yaml'), join(dir, 'notes.yaml'));
    const empty = await runArazzo(['test', dir]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^arazzo test: no Arazzo documents \(\*\.arazzo\.yaml, …\) in /);
    assert.equal(empty.stderr.split('\n').length, 2, empty.stderr);

    await writeFile(join(dir, 'arazzo.yaml'), document);
    const found = await runArazzo(['test', dir, '--json', '--server', 'http://127.0.0.1:9']);
    const report = JSON.parse(found.stdout) as Summary;
    assert.deepEqual(
      report.workflows.map((w) => w.file),
      [join(dir, 'arazzo.yaml'), join(dir, 'arazzo.yaml')],
    );
    assert.equal(found.code, 1, 'nothing listens on port 9: both workflows fail');

    const missing = await runArazzo(['test', 'no/such/folder']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'arazzo test: no/such/folder: no such file or folder\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
