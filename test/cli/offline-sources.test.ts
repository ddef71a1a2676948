import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArazzo } from '../_helpers/cli.js';
import { startScriptServer, type ScriptServer } from '../_helpers/script-server.js';

// Working offline (issue 20): `--no-remote` reaches the sources of nested Arazzo sources, and
// describe and graph take it too; a host that cannot be reached says how to work without it.
// The remote is a local server that counts its requests: "nothing fetched" is its count.

const OPENAPI = `openapi: 3.1.0
info: {title: remote, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses: {'200': {description: ok}}
`;

/** `outer.arazzo.yaml` → local `inner.arazzo.yaml` → the remote OpenAPI at `remote`. */
async function writeNested(dir: string, remote: string): Promise<string> {
  await writeFile(
    join(dir, 'inner.arazzo.yaml'),
    `arazzo: 1.0.1
info: {title: inner, version: "1"}
sourceDescriptions:
  - {name: api, url: "${remote}", type: openapi}
workflows:
  - workflowId: list
    steps:
      - stepId: list
        operationId: listThings
        successCriteria: [{condition: $statusCode == 200}]
`,
  );
  const outer = join(dir, 'outer.arazzo.yaml');
  await writeFile(
    outer,
    `arazzo: 1.0.1
info: {title: outer, version: "1"}
sourceDescriptions:
  - {name: library, url: ./inner.arazzo.yaml, type: arazzo}
workflows:
  - workflowId: main
    steps:
      - stepId: borrow
        workflowId: $sourceDescriptions.library.list
`,
  );
  return outer;
}

/** A document whose only source is the remote OpenAPI at `remote`. */
async function writeDirect(dir: string, remote: string): Promise<string> {
  const file = join(dir, 'direct.arazzo.yaml');
  await writeFile(
    file,
    `arazzo: 1.0.1
info: {title: direct, version: "1"}
sourceDescriptions:
  - {name: api, url: "${remote}", type: openapi}
workflows:
  - workflowId: list
    steps:
      - stepId: list
        operationId: listThings
        successCriteria: [{condition: $statusCode == 200}]
`,
  );
  return file;
}

async function withServer(
  body: (dir: string, server: ScriptServer) => Promise<void>,
): Promise<void> {
  const server = await startScriptServer({ 'GET /openapi.yaml': { body: OPENAPI } });
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-offline-'));
  try {
    await body(dir, server);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A URL on 127.0.0.1 where nothing listens: a port opened, then closed. */
async function refusedUrl(): Promise<{ url: string; host: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  const host = `127.0.0.1:${address.port}`;
  return { url: `http://${host}/openapi.yaml`, host };
}

interface Json {
  valid: boolean;
  diagnostics: { code: string; severity: string; pointer: string; message: string }[];
}

test('validate --no-remote skips the remote source of a nested arazzo source: a warning, no fetch', async () => {
  await withServer(async (dir, server) => {
    const outer = await writeNested(dir, `${server.url}/openapi.yaml`);
    const skipped = await runArazzo(['validate', outer, '--json', '--no-remote']);
    assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
    const { valid, diagnostics } = JSON.parse(skipped.stdout) as Json;
    assert.equal(valid, true);
    assert.deepEqual(
      diagnostics
        .filter((d) => d.code.startsWith('source-'))
        .map((d) => [d.code, d.severity, d.pointer]),
      [['source-remote-skipped', 'warning', '/sourceDescriptions/0/url']],
    );
    assert.match(
      diagnostics.find((d) => d.code === 'source-remote-skipped')?.message ?? '',
      /"api" \(http:\/\/127\.0\.0\.1:\d+\/openapi\.yaml\) of arazzo source "library"/,
    );
    assert.equal(server.requests.length, 0, '--no-remote fetches nothing, at any depth');

    // The same document without the option does fetch it: the count above could have moved.
    const fetched = await runArazzo(['validate', outer, '--json']);
    assert.equal(fetched.code, 0, fetched.stdout + fetched.stderr);
    assert.equal(server.requests.length, 1);
  });
});

test('describe and graph --no-remote: nothing fetched, operations shown unresolved', async () => {
  await withServer(async (dir, server) => {
    const direct = await writeDirect(dir, `${server.url}/openapi.yaml`);
    const described = await runArazzo(['describe', direct, '--no-remote']);
    assert.equal(described.code, 0, described.stderr);
    assert.match(
      described.stderr,
      /^arazzo describe: source "api" not loaded \(remote, not fetched with --no-remote\); its operations are shown unresolved\n$/,
    );
    assert.match(
      described.stdout,
      /1\. list {2}listThings {2}\(unresolved: source "api" not loaded\)/,
    );

    const graphed = await runArazzo(['graph', direct, '--no-remote']);
    assert.equal(graphed.code, 0, graphed.stderr);
    assert.match(graphed.stdout, /^flowchart/m);
    assert.match(
      graphed.stderr,
      /source "api" not loaded \(remote, not fetched with --no-remote\)/,
    );

    const outer = await writeNested(dir, `${server.url}/openapi.yaml`);
    const nested = await runArazzo(['describe', outer, '--no-remote']);
    assert.equal(nested.code, 0, nested.stderr);
    assert.match(
      nested.stderr,
      /^arazzo describe: source library\.api \(http:\/\/127\.0\.0\.1:\d+\/openapi\.yaml\) not fetched \(--no-remote\)\n$/,
    );
    assert.equal(server.requests.length, 0, '--no-remote fetches nothing');

    const fetched = await runArazzo(['describe', direct]);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.match(fetched.stdout, /GET \/things/);
    assert.equal(server.requests.length, 1);
  });
});

test('a host that refuses the connection: validate, describe and graph point at --no-remote; run names the host', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-offline-'));
  try {
    const { url, host } = await refusedUrl();
    const direct = await writeDirect(dir, url);
    const hint =
      /connection refused \(ECONNREFUSED\) \(offline\? --no-remote skips remote sources\)/;

    const validated = await runArazzo(['validate', direct, '--json']);
    assert.equal(validated.code, 1, validated.stderr);
    const result = JSON.parse(validated.stdout) as Json;
    const failed = result.diagnostics.find((d) => d.code === 'source-load-failed');
    assert.match(failed?.message ?? '', hint);

    const nested = await runArazzo(['validate', await writeNested(dir, url), '--json']);
    assert.match(nested.stdout, /offline\? --no-remote skips remote sources/);

    const described = await runArazzo(['describe', direct]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stderr, hint);

    const graphed = await runArazzo(['graph', direct]);
    assert.equal(graphed.code, 0, graphed.stderr);
    assert.match(graphed.stderr, hint);

    // run has no --no-remote: it says which host could not be reached, and nothing more.
    const ran = await runArazzo(['run', direct]);
    assert.equal(ran.code, 2, ran.stderr);
    assert.ok(ran.stderr.includes(`cannot fetch http://${host}/openapi.yaml`), ran.stderr);
    assert.match(ran.stderr, /connection refused/);
    assert.doesNotMatch(ran.stderr, /--no-remote/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a server that answers 404 is not "offline": no --no-remote hint', async () => {
  await withServer(async (dir, server) => {
    const direct = await writeDirect(dir, `${server.url}/missing.yaml`);
    const validated = await runArazzo(['validate', direct, '--json']);
    assert.equal(validated.code, 1, validated.stderr);
    assert.match(validated.stdout, /HTTP 404 fetching/);
    assert.doesNotMatch(validated.stdout, /--no-remote/);
    assert.equal(server.requests.length, 1);
  });
});
