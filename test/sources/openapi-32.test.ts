/**
 * OpenAPI 3.2 source descriptions (swagger-parser refuses them; sources/openapi-32.ts): a valid
 * one loads with its 3.2 operations (`query`, `additionalOperations`), an invalid one is one
 * `source-load-failed` line, and its `$ref`s go through the same guards as every description's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDocument } from '../../src/document/load-document.js';
import { loadSources, type LoadedOpenApiSource } from '../../src/sources/load-sources.js';
import { operationAt, requestMethod } from '../../src/sources/operations.js';
import { parseOperationPath } from '../../src/sources/operation-path.js';
import { runArazzo } from '../_helpers/cli.js';

let dir: string;
let server: Server;
let serverUrl: string;
const served: string[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arazzo-oas32-'));
  server = createServer((req, res) => {
    served.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end('Matches:\n  type: object\n  properties:\n    count: {type: integer}\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const VALID = `openapi: 3.2.0
info: {title: t, version: 1.0.0}
paths:
  /lookup:
    query:
      operationId: lookup
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Found'}
  /cache/{key}:
    parameters:
      - {name: key, in: path, required: true, schema: {type: string}}
    additionalOperations:
      PURGE:
        operationId: purge
        responses: {'204': {description: purged}}
components:
  schemas:
    Found: {type: object}
`;

/** `querystring` without `content`: the 3.2 schema requires it. */
const INVALID = `openapi: 3.2.0
info: {title: t, version: 1.0.0}
paths:
  /x:
    get:
      operationId: x
      parameters:
        - {name: q, in: querystring, schema: {type: string}}
      responses: {'200': {description: ok}}
`;

async function arazzoFor(name: string, description: string): Promise<string> {
  await writeFile(join(dir, `${name}.openapi.yaml`), description);
  const file = join(dir, `${name}.arazzo.yaml`);
  await writeFile(
    file,
    `arazzo: 1.1.0
info: {title: t, version: 1.0.0}
sourceDescriptions:
  - {name: api, url: ./${name}.openapi.yaml, type: openapi}
workflows:
  - workflowId: main
    steps:
      - stepId: s
        operationId: ${name === 'valid' ? 'lookup' : 'x'}
        successCriteria:
          - condition: $statusCode == 200
`,
  );
  return file;
}

async function load(file: string, allowHosts?: readonly string[]) {
  return loadSources(await loadDocument(file), allowHosts === undefined ? {} : { allowHosts });
}

test('a valid 3.2 description loads, dereferenced, with its query and additionalOperations', async () => {
  const result = await load(await arazzoFor('valid', VALID));
  assert.deepEqual(result.errors, []);
  const source = result.sources.get('api') as LoadedOpenApiSource;
  const lookup = source.operations.get('lookup');
  const purge = source.operations.get('purge');
  assert.equal(lookup?.method, 'query');
  assert.equal(requestMethod(lookup ?? { method: '' }), 'QUERY');
  // "The map key is the HTTP method with the same capitalization that is to be sent" (OAS 3.2).
  assert.equal(purge?.method, 'PURGE');
  assert.equal(requestMethod(purge ?? { method: '' }), 'PURGE');
  assert.deepEqual(
    (lookup?.operation.responses?.['200'] as { content: unknown }).content,
    { 'application/json': { schema: { type: 'object' } } },
    'the $ref was dereferenced',
  );
  const path = parseOperationPath(
    '{$sourceDescriptions.api.url}#/paths/~1cache~1{key}/additionalOperations/PURGE',
  );
  assert.deepEqual([path.problem, path.path, path.method], [undefined, '/cache/{key}', 'PURGE']);
  assert.equal(
    operationAt('api', source.url, source.document, path.tokens)?.operation,
    purge?.operation,
  );
});

test('query and additionalOperations are not operations before OpenAPI 3.2', async () => {
  const v31 = VALID.replace('openapi: 3.2.0', 'openapi: 3.1.0');
  const result = await load(await arazzoFor('older', v31));
  assert.deepEqual(result.errors, []);
  const source = result.sources.get('api') as LoadedOpenApiSource;
  assert.deepEqual([...source.operations.keys()], []);
  assert.equal(
    operationAt('api', source.url, source.document, ['paths', '/lookup', 'query']),
    undefined,
  );
});

test('an invalid 3.2 description is one source-load-failed line naming the problem', async () => {
  const file = await arazzoFor('invalid', INVALID);
  const result = await load(file);
  const [error] = result.errors;
  assert.equal(result.errors.length, 1);
  assert.equal(error?.code, 'SOURCE_LOAD_FAILED');
  assert.match(
    error?.message ?? '',
    /^source "api" \(\.\/invalid\.openapi\.yaml\): not a valid OpenAPI 3\.2 description: #\/paths\/~1x\/get\/parameters\/0 must have required property 'content'/,
  );
  assert.doesNotMatch(error?.message ?? '', /\n/);

  // validate: exit 1, an invalid document; run: exit 2, refused before any request.
  for (const [command, exit] of [
    ['validate', 1],
    ['run', 2],
  ] as const) {
    const cli = await runArazzo([command, file]);
    assert.equal(cli.code, exit, cli.stderr);
    const output = cli.stdout + cli.stderr;
    assert.match(output, /error {2}source-load-failed {2}source "api" .*not a valid OpenAPI 3\.2/);
    assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
  }
});

test("a 3.2 description's remote $refs are fetched by the runner, --allow-host applies", async () => {
  const withRemote = VALID.replace(
    "{$ref: '#/components/schemas/Found'}",
    `{$ref: '${serverUrl}/schemas.yaml#/Matches'}`,
  );
  const file = await arazzoFor('remote', withRemote);
  const allowed = await load(file);
  assert.deepEqual(allowed.errors, []);
  assert.deepEqual(served, ['/schemas.yaml']);
  const refused = await load(file, ['example.com']);
  assert.equal(refused.errors.length, 1);
  assert.match(
    refused.errors[0]?.message ?? '',
    /127\.0\.0\.1.*allow-host|allow-host.*127\.0\.0\.1/,
  );
  assert.deepEqual(served, ['/schemas.yaml'], 'nothing fetched from a host not allowed');
});
