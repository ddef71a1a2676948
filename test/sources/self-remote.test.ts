/**
 * An Arazzo 1.1 `$self` that is an http URL, end to end against a real local server
 * (POSITIONS §11.7): a local document's relative source url is fetched from where `$self` puts
 * it, not read from the file at that path; `--allow-host` still decides; `validate --no-remote`
 * says what it skips and that the local file is not used. And the security rule keeps holding
 * with `$self`: a remote document reaches no local file, neither by a `file:` `$self` nor by
 * the identity of a local document.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDocument } from '../../src/document/load-document.js';
import { loadSources } from '../../src/sources/load-sources.js';
import { runArazzo } from '../_helpers/cli.js';

let dir: string;
let server: Server;
let origin: string;
const served: string[] = [];
const pages = new Map<string, { type: string; body: string }>();

const openapi = (origin: string): string => `openapi: 3.1.0
info: {title: remote things, version: 1.0.0}
servers:
  - url: ${origin}/api
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: the thing}
`;

/** At the path the url would name without $self: loading it would fail the run. */
const DECOY = `openapi: 3.1.0
info: {title: the local decoy, version: 1.0.0}
paths: {}
`;

const flow = (self: string): string => `arazzo: 1.1.0
$self: ${self}
info: {title: a remote $self, version: 1.0.0}
sourceDescriptions:
  - name: api
    url: ../specs/x.yaml
    type: openapi
workflows:
  - workflowId: main
    steps:
      - stepId: get
        operationId: getThing
        parameters:
          - {name: id, in: path, value: '1'}
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          name: $response.body#/name
    outputs:
      name: $steps.get.outputs.name
      self: $self
      api: $sourceDescriptions.api.url
`;

let flowFile: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arazzo-self-'));
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    served.push(path);
    const page = pages.get(path);
    if (page === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': page.type }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pages.set('/specs/x.yaml', { type: 'application/yaml', body: openapi(origin) });
  pages.set('/api/things/1', { type: 'application/json', body: '{"name":"one"}' });
  await mkdir(join(dir, 'local/flows'), { recursive: true });
  await mkdir(join(dir, 'local/specs'), { recursive: true });
  await writeFile(join(dir, 'local/specs/x.yaml'), DECOY);
  flowFile = join(dir, 'local/flows/a.arazzo.yaml');
  await writeFile(flowFile, flow(`${origin}/flows/a.arazzo.yaml`));
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

test('run: ../specs/x.yaml resolves against the http $self and is fetched from that server', async () => {
  served.length = 0;
  const run = await runArazzo(['run', flowFile, '--json', '--allow-host', '127.0.0.1']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
  assert.deepEqual(result.outputs, {
    name: 'one',
    self: `${origin}/flows/a.arazzo.yaml`,
    api: `${origin}/specs/x.yaml`,
  });
  // The description once, then the operation.
  assert.deepEqual(served, ['/specs/x.yaml', '/api/things/1']);
});

test('run: --allow-host still decides where the $self-resolved url may be fetched from', async () => {
  served.length = 0;
  const run = await runArazzo(['run', flowFile, '--allow-host', 'api.example.org']);
  assert.equal(run.code, 2, run.stdout);
  assert.match(
    run.stderr,
    /refused: not in --allow-host \(api\.example\.org\); nothing was sent \(the url is resolved against the document's \$self, http:\/\/127\.0\.0\.1:\d+\/flows\/a\.arazzo\.yaml\)/,
  );
  assert.equal(run.stderr.includes('    at '), false, 'no stack trace');
  assert.deepEqual(served, []);
});

test('validate --no-remote: the url is skipped as remote, and the local file is said not to be used', async () => {
  served.length = 0;
  const run = await runArazzo(['validate', flowFile, '--no-remote', '--format', 'json']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const codes = (
    JSON.parse(run.stdout) as { diagnostics: { code: string; pointer: string }[] }
  ).diagnostics
    .filter((d) => d.pointer === '/sourceDescriptions/0/url')
    .map((d) => d.code)
    .sort();
  assert.deepEqual(codes, ['self-base-remote', 'source-remote-skipped']);
  assert.deepEqual(served, []);
});

test('a remote document with a file: $self cannot make its relative urls local', async () => {
  const secretDir = join(dir, 'secret');
  await mkdir(secretDir, { recursive: true });
  await writeFile(join(secretDir, 'secret.yaml'), 'openapi: 3.1.0\n');
  pages.set('/flows/evil.arazzo.yaml', {
    type: 'application/yaml',
    body: `arazzo: 1.1.0
$self: ${pathToFileURL(secretDir).href}/evil.arazzo.yaml
info: {title: evil, version: 1.0.0}
sourceDescriptions:
  - {name: secret, url: secret.yaml, type: openapi}
workflows:
  - {workflowId: w, steps: [{stepId: s, operationId: x}]}
`,
  });
  const root = join(dir, 'local/flows/root.arazzo.yaml');
  await writeFile(
    root,
    `arazzo: 1.1.0
info: {title: root, version: 1.0.0}
sourceDescriptions:
  - {name: evil, url: '${origin}/flows/evil.arazzo.yaml', type: arazzo}
workflows:
  - {workflowId: w, steps: [{stepId: s, workflowId: $sourceDescriptions.evil.w}]}
`,
  );
  const { errors } = await loadSources(await loadDocument(root));
  assert.equal(errors.length, 1);
  assert.match(
    errors[0]?.message ?? '',
    /evil\.arazzo\.yaml is remote, so it cannot refer to file:.*secret\/secret\.yaml/,
  );
});

test('a remote document naming the $self of a local document gets it by location, never the local file', async () => {
  pages.set('/flows/names-local.arazzo.yaml', {
    type: 'application/yaml',
    body: `arazzo: 1.1.0
info: {title: names the local one, version: 1.0.0}
sourceDescriptions:
  - {name: back, url: '${origin}/flows/identity.arazzo.yaml', type: arazzo}
workflows:
  - {workflowId: w, steps: [{stepId: s, workflowId: $sourceDescriptions.back.w}]}
`,
  });
  const root = join(dir, 'local/flows/identity.arazzo.yaml');
  await writeFile(
    root,
    `arazzo: 1.1.0
$self: ${origin}/flows/identity.arazzo.yaml
info: {title: local, version: 1.0.0}
sourceDescriptions:
  - {name: remote, url: names-local.arazzo.yaml, type: arazzo}
workflows:
  - {workflowId: w, steps: [{stepId: s, workflowId: $sourceDescriptions.remote.w}]}
`,
  );
  served.length = 0;
  const { errors } = await loadSources(await loadDocument(root));
  // The served copy is asked for (and is not there): the local document is not handed out.
  assert.deepEqual(served, ['/flows/names-local.arazzo.yaml', '/flows/identity.arazzo.yaml']);
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /HTTP 404 fetching .*\/flows\/identity\.arazzo\.yaml/);
});
