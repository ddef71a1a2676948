/**
 * Source descriptions found by `$self` identity (src/sources/known-documents.ts; POSITIONS
 * §11.7), through the library: the documents of test/fixtures/run/self-identity are all named
 * by https URLs and all found in that folder, with `allowHosts` such that any fetch would fail.
 * A file is used for a URL only when its own `$self` says it is that URL; a 1.0 document keeps
 * resolving against its file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeCommand } from '../../src/cli/commands/describe.js';
import type { CliIo } from '../../src/cli/io.js';
import { loadDocument } from '../../src/document/load-document.js';
import { discoverDocuments } from '../../src/sources/known-documents.js';
import { loadSources, type LoadedArazzoSource } from '../../src/sources/load-sources.js';
import { ROOT } from '../_helpers/cli.js';

const CASE = join(ROOT, 'test/fixtures/run/self-identity');
const OFFLINE = { allowHosts: ['127.0.0.1'] };

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arazzo-self-identity-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('every https url of the self-identity case names a local document by its $self', async () => {
  const root = await loadDocument(join(CASE, 'arazzo.yaml'));
  const { sources, errors } = await loadSources(root, OFFLINE);
  assert.deepEqual(errors, []);
  const api = sources.get('api');
  assert.equal(api?.kind, 'openapi');
  assert.equal(api.url, 'https://flows.example.com/run/api.openapi.yaml');
  assert.ok(api.operations.has('getThing'));
  const library = sources.get('library') as LoadedArazzoSource;
  assert.equal(library.url, 'https://flows.example.com/run/library.arazzo.yaml');
  assert.equal(library.loaded.url, pathToFileURL(join(CASE, 'library.arazzo.yaml')).href);
  // The library's absolute url back to the root is the root document itself (a cycle, once).
  const main = library.sources.get('main') as LoadedArazzoSource;
  assert.equal(main.loaded, root);
  assert.equal(main.sources.size, 0);
  assert.equal(library.sources.get('api')?.kind, 'openapi');
});

test('discovery lists the documents by $self, each file once', async () => {
  const root = await loadDocument(join(CASE, 'arazzo.yaml'));
  const known = await discoverDocuments(root);
  assert.deepEqual([...known.bySelf.keys()].sort(), [
    'https://flows.example.com/run/api.openapi.yaml',
    'https://flows.example.com/run/library.arazzo.yaml',
    'https://flows.example.com/run/main.arazzo.yaml',
  ]);
  assert.deepEqual(
    [...known.byUrl.keys()].sort(),
    [
      pathToFileURL(join(CASE, 'arazzo.yaml')).href,
      pathToFileURL(join(CASE, 'library.arazzo.yaml')).href,
    ].sort(),
  );
});

test('a local file at the path whose $self is another URL is not used: the URL is fetched', async () => {
  await mkdir(join(dir, 'other'), { recursive: true });
  await writeFile(
    join(dir, 'other/library.arazzo.yaml'),
    `arazzo: 1.1.0
$self: https://flows.example.com/somewhere-else/library.arazzo.yaml
info: {title: not it, version: 1.0.0}
sourceDescriptions: [{name: api, url: 'https://flows.example.com/api.yaml', type: openapi}]
workflows: [{workflowId: w, steps: [{stepId: s, operationId: x}]}]
`,
  );
  const file = join(dir, 'other/main.arazzo.yaml');
  await writeFile(
    file,
    `arazzo: 1.1.0
$self: https://flows.example.com/run/main.arazzo.yaml
info: {title: main, version: 1.0.0}
sourceDescriptions: [{name: library, url: library.arazzo.yaml, type: arazzo}]
workflows: [{workflowId: w, steps: [{stepId: s, workflowId: $sourceDescriptions.library.w}]}]
`,
  );
  const { errors } = await loadSources(await loadDocument(file), OFFLINE);
  assert.equal(errors.length, 1);
  assert.match(
    errors[0]?.message ?? '',
    /^source "library" \(library\.arazzo\.yaml\): fetching a source description to flows\.example\.com refused: not in --allow-host/,
  );
});

test('a 1.0 document resolves against its file, whatever $self it has', async () => {
  await mkdir(join(dir, 'v10'), { recursive: true });
  await writeFile(
    join(dir, 'v10/api.yaml'),
    `openapi: 3.1.0
info: {title: local, version: 1.0.0}
paths:
  /x: {get: {operationId: x, responses: {'200': {description: ok}}}}
`,
  );
  const file = join(dir, 'v10/main.arazzo.yaml');
  await writeFile(
    file,
    `arazzo: 1.0.1
$self: https://flows.example.com/main.arazzo.yaml
info: {title: 1.0, version: 1.0.0}
sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]
workflows: [{workflowId: w, steps: [{stepId: s, operationId: x}]}]
`,
  );
  const { sources, errors } = await loadSources(await loadDocument(file), OFFLINE);
  assert.deepEqual(errors, []);
  assert.equal(sources.get('api')?.url, pathToFileURL(join(dir, 'v10/api.yaml')).href);
});

test('describe shows the resolved $self', async () => {
  let stdout = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: () => undefined,
    env: {},
    cwd: ROOT,
    stdoutIsTTY: false,
    stdinIsTTY: false,
  };
  const code = await describeCommand(
    'test/fixtures/run/self-identity/arazzo.yaml',
    { json: true, allowHost: ['127.0.0.1'] },
    io,
  );
  assert.equal(code, 0);
  assert.equal(
    (JSON.parse(stdout) as { self?: string }).self,
    'https://flows.example.com/run/main.arazzo.yaml',
  );
});
