import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDocument } from '../../src/runtime/open-document.js';
import { runWorkflow } from '../../src/runtime/run.js';
import { runArazzo } from '../_helpers/cli.js';
import { startScriptServer, type ScriptServer } from '../_helpers/script-server.js';

// `--no-remote` and the `$ref`s of a local OpenAPI description (issue 20, POSITIONS §3): a `$ref`
// to an http(s) document is not fetched, the description loads with it left unresolved, and
// validate says so. The remote documents are served by a local server that counts its
// requests: "no connection" is its count staying at zero.

const PARAMS = `limit: {name: limit, in: query, required: true, schema: {type: integer}}\n`;
const SCHEMAS = `Thing: {type: object, properties: {id: {type: string}}}\n`;

/**
 * `api.yaml`: `listThings` takes a parameter from `refs`; `getStatus` needs nothing remote,
 * apart from a response schema. `flow.arazzo.yaml` calls both.
 */
async function writeDocuments(dir: string, refs: string, schemas: string): Promise<string> {
  await writeFile(
    join(dir, 'api.yaml'),
    `openapi: 3.0.3
info: {title: api, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - $ref: "${refs}/params.yaml#/limit"
      responses: {'200': {description: ok}}
  /status:
    get:
      operationId: getStatus
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: "${schemas}/schemas.yaml#/Thing"}
`,
  );
  const flow = join(dir, 'flow.arazzo.yaml');
  await writeFile(
    flow,
    `arazzo: 1.0.1
info: {title: flow, version: "1"}
sourceDescriptions:
  - {name: api, url: ./api.yaml, type: openapi}
workflows:
  - workflowId: status
    steps:
      - stepId: status
        operationId: getStatus
        successCriteria: [{condition: $statusCode == 200}]
  - workflowId: list
    steps:
      - stepId: list
        operationId: listThings
        parameters: [{name: limit, in: query, value: 3}]
        successCriteria: [{condition: $statusCode == 200}]
`,
  );
  return flow;
}

async function withRefServer(
  body: (dir: string, server: ScriptServer) => Promise<void>,
): Promise<void> {
  const server = await startScriptServer({
    'GET /params.yaml': { body: PARAMS },
    'GET /schemas.yaml': { body: SCHEMAS },
  });
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-offline-refs-'));
  try {
    await body(dir, server);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** An origin on 127.0.0.1 where nothing listens: a port opened, then closed. */
async function refusedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

interface Json {
  valid: boolean;
  diagnostics: { code: string; severity: string; pointer: string; message: string }[];
}

test('validate --no-remote: a local description’s remote $refs are not fetched, each named in a warning', async () => {
  await withRefServer(async (dir, server) => {
    const flow = await writeDocuments(dir, server.url, server.url);
    const offline = await runArazzo(['validate', flow, '--json', '--no-remote']);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    const { valid, diagnostics } = JSON.parse(offline.stdout) as Json;
    assert.equal(valid, true);
    const skipped = diagnostics.filter((d) => d.code.startsWith('source-'));
    assert.deepEqual(
      skipped.map((d) => [d.code, d.severity, d.pointer]),
      [
        ['source-ref-not-fetched', 'warning', '/sourceDescriptions/0/url'],
        ['source-ref-not-fetched', 'warning', '/sourceDescriptions/0/url'],
      ],
    );
    const messages = skipped.map((d) => d.message).sort();
    assert.match(
      messages[0] ?? '',
      /^source "api": the \$ref at #\/paths\/~1status\/get\/responses\/200\/content\/application~1json\/schema names http:\/\/127\.0\.0\.1:\d+\/schemas\.yaml#\/Thing, which is remote and was not fetched \(--no-remote\)/,
    );
    assert.match(
      messages[1] ?? '',
      /^source "api": the \$ref at #\/paths\/~1things\/get\/parameters\/0 names http:\/\/127\.0\.0\.1:\d+\/params\.yaml#\/limit, which is remote/,
    );
    assert.equal(server.requests.length, 0, '--no-remote opens no connection for a $ref');

    // describe and graph take --no-remote the same way.
    const described = await runArazzo(['describe', flow, '--no-remote']);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /list {2}GET \/things {2}listThings/);
    const graphed = await runArazzo(['graph', flow, '--no-remote']);
    assert.equal(graphed.code, 0, graphed.stderr);
    assert.equal(server.requests.length, 0);

    // Without the option the same $refs are fetched: the count above could have moved.
    const online = await runArazzo(['validate', flow, '--json']);
    assert.equal(online.code, 0, online.stdout + online.stderr);
    assert.doesNotMatch(online.stdout, /source-ref-not-fetched/);
    assert.deepEqual(server.requests.map((r) => r.url).sort(), ['/params.yaml', '/schemas.yaml']);
  });
});

test('validate --no-remote: a $ref to a port nobody listens on is no load failure', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-offline-refs-'));
  try {
    const origin = await refusedOrigin();
    const flow = await writeDocuments(dir, origin, origin);
    const offline = await runArazzo(['validate', flow, '--json', '--no-remote']);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    const { diagnostics } = JSON.parse(offline.stdout) as Json;
    assert.deepEqual(
      diagnostics.filter((d) => d.code.startsWith('source-')).map((d) => d.code),
      ['source-ref-not-fetched', 'source-ref-not-fetched'],
    );
    // Fetched, the same $ref fails the source: the offline result above is the option's doing.
    const online = await runArazzo(['validate', flow, '--json']);
    assert.equal(online.code, 1, online.stdout);
    assert.match(online.stdout, /source-load-failed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('remote: false in the library: a step whose parameters need an unfetched $ref fails in one line, nothing sent', async () => {
  await withRefServer(async (dir, refs) => {
    const flow = await writeDocuments(dir, refs.url, refs.url);
    const api = await startScriptServer({
      'GET /things': { body: [] },
      'GET /status': { body: { id: 'a' } },
    });
    try {
      const scope = await openDocument(flow, { remote: false });
      const listed = await runWorkflow(scope, {
        workflowId: 'list',
        servers: { api: api.url },
      });
      assert.equal(listed.success, false);
      const reasons = listed.steps[0]?.reasons ?? [];
      assert.equal(reasons.length, 1, reasons.join('\n'));
      assert.match(
        reasons[0] ?? '',
        /^GET \/things: the description's \$ref http:\/\/127\.0\.0\.1:\d+\/params\.yaml#\/limit was not fetched \(remote \$refs are off\), so the parameters or body it defines are unknown$/,
      );
      assert.doesNotMatch(reasons[0] ?? '', /\n/);
      assert.equal(api.requests.length, 0, 'nothing sent for that step');

      // An operation that needs no unfetched part runs (its response schema is not read).
      const status = await runWorkflow(scope, { workflowId: 'status', servers: { api: api.url } });
      assert.equal(status.success, true, JSON.stringify(status.steps));
      assert.deepEqual(
        api.requests.map((r) => r.url),
        ['/status'],
      );
      assert.equal(refs.requests.length, 0, 'no $ref was fetched');
    } finally {
      await api.close();
    }
  });
});
