import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHostAllowed } from '../../src/sources/host-patterns.js';
import { loadDocument } from '../../src/document/load-document.js';
import { loadSources } from '../../src/sources/load-sources.js';
import { parseSize } from '../../src/cli/parse-options.js';

const rows: { url: string; patterns: string[]; allowed: boolean }[] = [
  { url: 'https://api.example.com/x', patterns: ['api.example.com'], allowed: true },
  { url: 'https://API.Example.com/x', patterns: ['api.example.com'], allowed: true },
  { url: 'https://evil.com/x', patterns: ['api.example.com'], allowed: false },
  { url: 'https://a.b.example.com/', patterns: ['*.example.com'], allowed: true },
  { url: 'https://example.com/', patterns: ['*.example.com'], allowed: false },
  { url: 'https://notexample.com/', patterns: ['*.example.com'], allowed: false },
  { url: 'http://127.0.0.1:8080/', patterns: ['127.0.0.1:8080'], allowed: true },
  { url: 'http://127.0.0.1:9090/', patterns: ['127.0.0.1:8080'], allowed: false },
  { url: 'http://localhost/', patterns: ['localhost:80'], allowed: true },
  { url: 'https://localhost/', patterns: ['localhost:80'], allowed: false },
  { url: 'http://[::1]:3000/', patterns: ['[::1]'], allowed: true },
  {
    url: 'http://169.254.169.254/latest',
    patterns: ['*.example.com', 'api.example.com'],
    allowed: false,
  },
  { url: 'not a url', patterns: ['*'], allowed: false },
];
for (const row of rows) {
  test(`--allow-host ${row.patterns.join(',')} ${row.allowed ? 'allows' : 'refuses'} ${row.url}`, () =>
    assert.equal(isHostAllowed(row.url, row.patterns), row.allowed));
}

const sizes: [string, number][] = [
  ['10MiB', 10 * 1024 * 1024],
  ['512KiB', 512 * 1024],
  ['1MB', 1_000_000],
  ['2048', 2048],
];
for (const [text, bytes] of sizes)
  test(`size ${text}`, () => assert.equal(parseSize(text, '--x'), bytes));

test('remote source descriptions obey --allow-host, including redirects, and are size-capped', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/redirect')
      res.writeHead(302, { location: 'http://localhost:1/openapi.yaml' }).end();
    else if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 20 && res.write(chunk)) sent += 1;
        if (sent >= 20) res.end();
        else res.once('drain', pump);
      };
      pump();
    } else
      res
        .writeHead(200, { 'content-type': 'application/yaml' })
        .end('openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const dir = await mkdtemp(join(tmpdir(), 'arazzo-hosts-'));
    const file = join(dir, 'doc.arazzo.yaml');
    await writeFile(
      file,
      `arazzo: 1.0.1
info: {title: t, version: "1"}
sourceDescriptions:
  - {name: direct, url: "${base}/openapi.yaml", type: openapi}
  - {name: redirected, url: "${base}/redirect", type: openapi}
  - {name: huge, url: "${base}/huge", type: openapi}
workflows: [{workflowId: w, steps: [{stepId: s, operationId: x}]}]
`,
    );
    const loaded = await loadDocument(file);
    const open = await loadSources(loaded);
    assert.ok(open.sources.has('direct'));
    assert.match(open.errors.map((e) => e.message).join('\n'), /huge.*larger than/);
    const guarded = await loadSources(loaded, { allowHosts: ['127.0.0.1'] });
    assert.ok(guarded.sources.has('direct'));
    assert.match(
      guarded.errors.map((e) => e.message).join('\n'),
      /redirected.*localhost:1 refused: not in --allow-host/,
    );
    const refused = await loadSources(loaded, { allowHosts: ['api.example.com'] });
    assert.equal(refused.sources.size, 0);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
