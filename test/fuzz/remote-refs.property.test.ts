/**
 * Property: whatever a document served over http(s) writes, and wherever it writes it, it cannot
 * make the loader read a local file (issue 21 F1). fast-check builds spellings of a file's
 * location (file: URLs in any case, with `localhost`, percent-encoding, backslashes, `.`/`..`
 * segments, padding, fragments) and puts one in a random place of a remote OpenAPI description
 * (as a `$ref`) or a remote Arazzo document (as a source URL, or a `$ref` in a source it serves).
 * The library loads it through a local workflow; the file's content must appear in no loaded
 * document and no message.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadDocument, loadSources, type LoadedSource } from '../../src/index.js';

const SECRET = 'FUZZ-SECRET-41c7e2';
let dir: string;
let secretPath: string;
let server: Server;
let base: string;
/** What the server answers, by path; set by each run. */
let served: Record<string, string> = {};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arazzo-fuzz-remote-'));
  secretPath = join(dir, 'secret.yaml');
  // A YAML string and a valid OpenAPI description at once: read as either, it carries the secret.
  await writeFile(
    secretPath,
    stringify({
      openapi: '3.1.0',
      info: { title: SECRET, version: '1' },
      paths: { [`/${SECRET}`]: { get: { operationId: 'getX', responses: {} } } },
    }),
  );
  server = createServer((req, res) => {
    const body = served[(req.url ?? '/').split('?')[0] ?? '/'];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

/** Ways to write the location of `path` (absolute, POSIX) that a file resolver would accept. */
function spelling(path: string): fc.Arbitrary<string> {
  const segments = path.split('/').filter(Boolean);
  const dotted = fc
    .array(fc.constantFrom('.', '..x'), { maxLength: 2 })
    .map((extra) =>
      [...segments.slice(0, -1), ...extra.map((e) => (e === '..x' ? 'x/..' : e)), segments.at(-1)]
        .filter(Boolean)
        .join('/'),
    );
  const encoded = fc.nat({ max: path.length - 1 }).map((at) => {
    const char = path[at] ?? 'a';
    return /[a-z]/i.test(char)
      ? `${path.slice(0, at)}%${char.charCodeAt(0).toString(16)}${path.slice(at + 1)}`
      : path;
  });
  const body = fc.oneof(
    fc.constant(path.slice(1)),
    dotted,
    encoded.map((p) => p.slice(1)),
  );
  const scheme = fc.constantFrom('file', 'FILE', 'File');
  const url = fc
    .tuple(scheme, fc.constantFrom(':///', '://localhost/', ':/', ':\\\\\\', ':'), body)
    .map(([s, sep, rest]) =>
      sep.includes('\\') ? `${s}${sep}${rest.replaceAll('/', '\\')}` : `${s}${sep}${rest}`,
    );
  return fc
    .tuple(url, fc.constantFrom('', '#', '#/info', '#/info/title'), fc.constantFrom('', ' ', '\t'))
    .map(([u, hash, pad]) => `${pad}${u}${hash}${pad}`);
}

/** Puts `{$ref: ref}` somewhere in an OpenAPI description. */
function openapiWith(ref: string, where: number): string {
  const spot = { $ref: ref };
  const document: Record<string, unknown> = {
    openapi: '3.1.0',
    info: { title: 'remote', version: '1' },
    servers: [{ url: `${base}/n` }],
    paths: { '/x': { get: { operationId: 'getX', responses: { '200': { description: 'ok' } } } } },
  };
  switch (where % 6) {
    case 0:
      document['servers'] = [{ url: `${base}/n/{v}`, variables: { v: { default: spot } } }];
      break;
    case 1:
      document['info'] = { title: 'remote', version: '1', description: spot };
      break;
    case 2:
      document['components'] = { schemas: { Leak: spot } };
      break;
    case 3:
      (document['paths'] as Record<string, unknown>)['/leak'] = spot;
      break;
    case 4:
      document['x-deep'] = [[{ a: [{ b: spot }] }]];
      break;
    default:
      // yaml keeps `__proto__` as an own key; ref-parser walks it like any other.
      document['x-proto'] = JSON.parse(`{"__proto__": ${JSON.stringify(spot)}}`) as unknown;
  }
  return stringify(document);
}

/** Every document loaded, nested Arazzo sources included. */
function documents(sources: ReadonlyMap<string, LoadedSource>): unknown[] {
  return [...sources.values()].flatMap((s) =>
    s.kind === 'arazzo' ? [s.loaded.document, ...documents(s.sources)] : [s.document],
  );
}

const arazzo = (sourceUrl: string, type: 'openapi' | 'arazzo'): string =>
  stringify({
    arazzo: '1.0.1',
    info: { title: 'fuzz', version: '1' },
    sourceDescriptions: [{ name: 'remote', url: sourceUrl, type }],
    workflows: [{ workflowId: 'w', steps: [{ stepId: 's', operationId: 'getX' }] }],
  });

test('no spelling of a local file, anywhere in a remote document, is read', async () => {
  const local = join(dir, 'local.arazzo.yaml');
  await fc.assert(
    fc.asyncProperty(
      spelling(secretPath),
      fc.nat(),
      fc.nat({ max: 2 }),
      async (ref, where, shape) => {
        if (shape === 0) {
          // local → remote OpenAPI with the $ref
          served = { '/api.yaml': openapiWith(ref, where) };
          await writeFile(local, arazzo(`${base}/api.yaml`, 'openapi'));
        } else if (shape === 1) {
          // local → remote Arazzo whose source is the file
          served = { '/flow.yaml': arazzo(ref.trim(), 'openapi') };
          await writeFile(local, arazzo(`${base}/flow.yaml`, 'arazzo'));
        } else {
          // local → remote Arazzo → remote OpenAPI (relative to it) with the $ref
          served = {
            '/flow.yaml': arazzo('./api.yaml', 'openapi'),
            '/api.yaml': openapiWith(ref, where),
          };
          await writeFile(local, arazzo(`${base}/flow.yaml`, 'arazzo'));
        }
        const result = await loadSources(await loadDocument(local));
        const seen = JSON.stringify({
          errors: result.errors.map((e) => e.message),
          sources: documents(result.sources),
        });
        assert.ok(!seen.includes(SECRET), `read through ${JSON.stringify(ref)} (shape ${shape})`);
        assert.ok(!(result.errors[0]?.message ?? '').includes('\n'), 'the refusal is one line');
      },
    ),
    { numRuns: 150, seed: 0x21f1 },
  );
});
