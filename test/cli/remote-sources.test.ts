import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArazzo } from '../_helpers/cli.js';
import { startScriptServer, type ScriptServer } from '../_helpers/script-server.js';

// Every command that loads source descriptions takes `--allow-host` (README "Security"), and
// validate takes `--no-remote`: driven through the real binary, so an option the parser does
// not know fails here.

const OPENAPI = `openapi: 3.1.0
info: {title: remote, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses: {'200': {description: ok}}
`;

async function withRemoteSource(
  body: (file: string, server: ScriptServer) => Promise<void>,
): Promise<void> {
  const server = await startScriptServer({ 'GET /openapi.yaml': { body: OPENAPI } });
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-remote-'));
  const file = join(dir, 'remote.arazzo.yaml');
  await writeFile(
    file,
    `arazzo: 1.0.1
info: {title: remote source, version: "1", description: a workflow on a remote description}
sourceDescriptions:
  - {name: api, url: "${server.url}/openapi.yaml", type: openapi}
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
    await body(file, server);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('validate fetches a remote source; --allow-host refuses other hosts; --no-remote skips it', async () => {
  await withRemoteSource(async (file, server) => {
    const fetched = await runArazzo(['validate', file, '--json']);
    assert.equal(fetched.code, 0, fetched.stdout + fetched.stderr);
    assert.equal(server.requests.length, 1);

    const refused = await runArazzo(['validate', file, '--json', '--allow-host', 'example.com']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stdout, /refused: not in --allow-host/);
    assert.equal(server.requests.length, 1, 'nothing fetched from a host not allowed');

    const allowed = await runArazzo(['validate', file, '--json', '--allow-host', '127.0.0.1']);
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.equal(server.requests.length, 2);

    const skipped = await runArazzo(['validate', file, '--json', '--no-remote']);
    assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
    assert.match(skipped.stdout, /source-remote-skipped/);
    assert.equal(server.requests.length, 2, '--no-remote fetches nothing');
  });
});

test('describe and graph: --allow-host keeps them from fetching a source on another host', async () => {
  await withRemoteSource(async (file, server) => {
    const described = await runArazzo(['describe', file]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /GET \/things/);
    assert.equal(server.requests.length, 1);

    const guarded = await runArazzo(['describe', file, '--allow-host', 'example.com']);
    assert.equal(guarded.code, 0, guarded.stderr);
    assert.match(guarded.stdout + guarded.stderr, /refused: not in --allow-host/);
    assert.doesNotMatch(guarded.stdout, /GET \/things/);

    const graphed = await runArazzo(['graph', file, '--allow-host', 'example.com']);
    assert.equal(graphed.code, 0, graphed.stderr);
    assert.match(graphed.stdout, /^flowchart/m);
    assert.equal(server.requests.length, 1, 'nothing fetched from a host not allowed');
  });
});
