import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArazzoError } from '../../src/errors.js';
import { loadDocument } from '../../src/document/load-document.js';
import { loadSources, openDocument } from '../../src/index.js';
import {
  FetchBudget,
  fetchRemote,
  formatLimit,
  REMOTE_TIMEOUT_MS,
} from '../../src/sources/fetch-remote.js';
import { firstLocalRef } from '../../src/sources/remote-refs.js';
import { RSS_METHOD, runMeasured } from '../hostile/measure.js';
import { startRemoteServers, type RemoteServers } from './remote-servers.js';

/**
 * Issue 21 F1–F3 and their notes: what a document fetched over http(s) can make the runner read
 * or contact, and what a download may cost. Every case runs the real CLI against two real
 * servers (A on 127.0.0.1 serving the documents, B on 127.0.0.2 "another host") with documents
 * from test/fixtures/remote/<case>/; see remote-servers.ts.
 */

let servers: RemoteServers;
before(async () => {
  servers = await startRemoteServers();
});
after(async () => {
  await servers.close();
});

const RSS_LIMIT_KIB = 300 * 1024;
const fileUrl = (dir: string, name: string): string => pathToFileURL(join(dir, name)).href;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Case {
  readonly name: string;
  /** The folder under test/fixtures/remote/. */
  readonly folder: string;
  readonly command: 'run' | 'validate';
  /** Extra arguments (`--allow-host` A unless `allowAll`). */
  readonly allowAll?: boolean;
  /** Files written into the case folder first; the CLI then runs there (cwd). */
  readonly cwdFiles?: Readonly<Record<string, string>>;
  readonly exitCode: number;
  /** A line of the output that names the problem. */
  readonly line: (s: RemoteServers) => RegExp;
  /** Requests B must have received. */
  readonly bRequests?: number;
  readonly maxMs: number;
  /** The most /sized downloads A may see at once. */
  readonly maxConcurrent?: number;
  /** Assert a peak RSS under 300 MiB. */
  readonly boundedMemory?: boolean;
}

/** `<remote document> is remote, so it cannot refer to <target>: …` (remote-refs.ts). */
const refused = (document: string, target: string): RegExp =>
  new RegExp(
    `${escape(document)} is remote, so it cannot refer to ${escape(target)}: a document loaded over http\\(s\\) may name only http\\(s\\) URLs, never local files$`,
    'm',
  );

const cases: readonly Case[] = [
  {
    name: 'F1: local → remote Arazzo → file: source is refused; the private file is never read',
    folder: 'file-source',
    command: 'run',
    exitCode: 2,
    line: (s) =>
      refused(
        `${s.a}/f/file-source/remote.arazzo.yaml`,
        fileUrl(s.dir('file-source'), 'private.openapi.yaml'),
      ),
    maxMs: 8_000,
  },
  {
    name: 'F1: a remote OpenAPI cannot $ref a local file (server variable default, description)',
    folder: 'ref-server-variable',
    command: 'run',
    exitCode: 2,
    line: (s) =>
      refused(
        `${s.a}/f/ref-server-variable/evil.openapi.yaml`,
        fileUrl(s.dir('ref-server-variable'), 'host-secret'),
      ),
    maxMs: 8_000,
  },
  {
    name: 'F1: a remote OpenAPI cannot $ref a path ref-parser would read from the working directory',
    folder: 'ref-path-like',
    command: 'run',
    cwdFiles: { 'ab:host-secret': '{{SECRET}}\n' },
    exitCode: 2,
    line: (s) => refused(`${s.a}/f/ref-path-like/evil.openapi.yaml`, 'ab:host-secret'),
    maxMs: 8_000,
  },
  {
    name: 'F1: local OpenAPI → remote $ref → file $ref is refused (the taint follows $refs)',
    folder: 'ref-chain',
    command: 'run',
    exitCode: 2,
    line: (s) =>
      refused(`${s.a}/f/ref-chain/variables.yaml`, fileUrl(s.dir('ref-chain'), 'host-secret')),
    maxMs: 8_000,
  },
  {
    name: 'F2: a remote $ref redirected to another host obeys --allow-host at the hop; B gets nothing',
    folder: 'ref-redirect',
    command: 'validate',
    exitCode: 1,
    line: (s) =>
      new RegExp(
        `fetching a remote \\$ref \\(redirected by ${escape(s.a)}/redirect\\?to=\\S+\\) to ${escape(new URL(s.b).host)} refused: not in --allow-host \\(${escape(s.aHost)}\\); nothing was sent`,
      ),
    bRequests: 0,
    maxMs: 8_000,
  },
  {
    name: 'A remote $ref redirected to a file: URL is refused with a line that says so',
    folder: 'ref-redirect-file',
    command: 'validate',
    exitCode: 1,
    line: (s) =>
      new RegExp(
        `${escape(s.a)}/redirect\\?to=\\S+ redirects to ${escape(fileUrl(s.dir('ref-redirect-file'), 'schema.json'))}: only http\\(s\\) redirects are followed`,
      ),
    maxMs: 8_000,
  },
  {
    name: 'F3: a remote $ref to an endless body stops at 16 MiB, in bounded memory',
    folder: 'ref-endless',
    command: 'validate',
    exitCode: 1,
    line: (s) =>
      new RegExp(
        `${escape(s.a)}/endless: the remote \\$refs of ${escape(s.a)}/f/ref-endless/api.openapi.yaml are larger than 16777216 bytes in total`,
      ),
    maxMs: 10_000,
    boundedMemory: true,
  },
  {
    name: 'F3: a remote $ref to a gzip bomb stops at 16 MiB decoded, in bounded memory',
    folder: 'ref-gzip-bomb',
    command: 'validate',
    exitCode: 1,
    line: (s) =>
      new RegExp(
        `${escape(s.a)}/gzip-bomb: the remote \\$refs of ${escape(s.a)}/f/ref-gzip-bomb/api.openapi.yaml are larger than 16777216 bytes in total`,
      ),
    maxMs: 10_000,
    boundedMemory: true,
  },
  {
    name: 'F3: forty remote $refs of 8 MiB share one 16 MiB allowance (and six downloads at a time)',
    folder: 'ref-many',
    command: 'validate',
    exitCode: 1,
    line: (s) =>
      new RegExp(
        `${escape(s.a)}/sized\\?bytes=8388608&n=\\d+: the remote \\$refs of ${escape(s.a)}/f/ref-many/api.openapi.yaml are larger than 16777216 bytes in total`,
      ),
    maxConcurrent: 6,
    maxMs: 10_000,
    boundedMemory: true,
  },
  {
    name: 'A remote $ref announcing a 5 GB Content-Length is refused at once',
    folder: 'ref-huge-length',
    command: 'validate',
    exitCode: 1,
    line: (s) =>
      new RegExp(
        `${escape(s.a)}/huge-length: the remote \\$refs of \\S+ are larger than 16777216 bytes in total \\(Content-Length: 5000000000\\)`,
      ),
    maxMs: 5_000,
  },
  {
    name: 'A source description announcing a 5 GB Content-Length is refused at once (not after 30 s)',
    folder: 'source-huge-length',
    command: 'validate',
    exitCode: 1,
    line: (s) =>
      new RegExp(
        `${escape(s.a)}/huge-length is larger than 16777216 bytes \\(Content-Length: 5000000000\\)`,
      ),
    maxMs: 5_000,
  },
  {
    name: 'A source description redirected to a file: URL is refused with a line that says so',
    folder: 'source-redirect-file',
    command: 'validate',
    exitCode: 1,
    line: (s) =>
      new RegExp(
        `redirects to ${escape(fileUrl(s.dir('source-redirect-file'), 'private.openapi.yaml'))}: only http\\(s\\) redirects are followed`,
      ),
    maxMs: 8_000,
  },
];

for (const spec of cases) {
  test(spec.name, { timeout: 60_000 }, async (t) => {
    const dir = servers.dir(spec.folder);
    for (const [name, text] of Object.entries(spec.cwdFiles ?? {})) {
      await writeFile(join(dir, name), text.replaceAll('{{SECRET}}', servers.secret));
    }
    const aBefore = servers.aLog.length;
    const bBefore = servers.bLog.length;
    const run = await runMeasured(
      [
        spec.command,
        join(dir, 'local.arazzo.yaml'),
        ...(spec.allowAll ? [] : ['--allow-host', servers.aHost]),
      ],
      { timeoutMs: 40_000, ...(spec.cwdFiles ? { cwd: dir } : {}) },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    const rss = run.maxRssKiB === undefined ? 'n/a' : `${(run.maxRssKiB / 1024).toFixed(0)} MiB`;
    t.diagnostic(`exit ${run.code}, ${run.wallMs.toFixed(0)} ms, peak RSS ${rss} (${RSS_METHOD})`);
    const pattern = spec.line(servers);
    const reason = output.split('\n').find((line) => pattern.test(line));
    if (reason) t.diagnostic(`line: ${reason.trim()}`);

    assert.equal(run.killed, false, `the CLI did not end within 40 s\n${output}`);
    assert.ok(reason, `no line matches ${pattern}\n${output}`);
    assert.equal(run.code, spec.exitCode, `exit code\n${output}`);
    assert.doesNotMatch(output, /\n\s+at /, 'a stack trace');
    // Nothing from a local file reaches the output, a server, or another host.
    assert.ok(!output.includes(servers.secret), `the secret is in the output\n${output}`);
    const sent = servers.aLog.slice(aBefore).filter((r) => r.url.includes(servers.secret));
    assert.deepEqual(sent, [], 'the secret reached server A');
    if (spec.bRequests !== undefined) {
      assert.equal(servers.bLog.length - bBefore, spec.bRequests, 'requests to B');
    }
    assert.ok(run.wallMs < spec.maxMs, `took ${run.wallMs.toFixed(0)} ms`);
    if (spec.maxConcurrent !== undefined) {
      assert.ok(
        servers.sizedConcurrency() <= spec.maxConcurrent,
        `${servers.sizedConcurrency()} downloads at once`,
      );
    }
    if (spec.boundedMemory) {
      assert.ok(run.maxRssKiB !== undefined, `no RSS reported (${RSS_METHOD})`);
      assert.ok(run.maxRssKiB < RSS_LIMIT_KIB, `peak RSS ${run.maxRssKiB} KiB`);
    }
  });
}

test('a local description keeps its local and remote $refs; a redirected $ref is followed when no --allow-host is given', async () => {
  const local = await runMeasured(['run', join(servers.dir('local-refs'), 'local.arazzo.yaml')]);
  assert.equal(local.code, 0, local.stdout + local.stderr);
  assert.ok(
    servers.aLog.some((r) => r.url === '/n/local-segment/x'),
    'the local $ref (server variable) was read and the request sent',
  );
  // The README's rule for hosts: any host unless --allow-host restricts (as for sources).
  const before = servers.bLog.length;
  const followed = await runMeasured([
    'validate',
    join(servers.dir('ref-redirect'), 'local.arazzo.yaml'),
  ]);
  assert.equal(followed.code, 0, followed.stdout + followed.stderr);
  assert.equal(servers.bLog.length - before, 1, 'B got the redirected $ref');
  // …and with --allow-host naming both hosts, every hop is allowed.
  const both = await runMeasured([
    'validate',
    join(servers.dir('ref-redirect'), 'local.arazzo.yaml'),
    '--allow-host',
    servers.aHost,
    '--allow-host',
    new URL(servers.b).host,
  ]);
  assert.equal(both.code, 0, both.stdout + both.stderr);
  assert.equal(servers.bLog.length - before, 2);
});

test('openDocument(path, {allowHosts}): a library embedder can restrict remote fetches', async () => {
  const dir = servers.dir('file-source');
  const document = join(dir, 'elsewhere.arazzo.yaml');
  await writeFile(
    document,
    `arazzo: 1.0.1
info: {title: a source on B, version: 1.0.0}
sourceDescriptions:
  - {name: api, url: '${servers.b}/openapi.yaml', type: openapi}
workflows: [{workflowId: w, steps: [{stepId: s, operationId: getX}]}]
`,
  );
  const before = servers.bLog.length;
  await assert.rejects(
    openDocument(document, { allowHosts: [servers.aHost] }),
    (error: unknown) =>
      error instanceof ArazzoError &&
      error.code === 'SOURCE_LOAD_FAILED' &&
      error.message.includes(
        `fetching a source description to ${new URL(servers.b).host} refused: not in --allow-host (${servers.aHost}); nothing was sent`,
      ),
  );
  assert.equal(servers.bLog.length, before, 'B got nothing');
  // The old signature still works, and fetches from any host (B's answer is no OpenAPI).
  await assert.rejects(openDocument(document));
  assert.equal(servers.bLog.length, before + 1);
});

test('loadSources({signal}): an interruption ends a source download at once', async () => {
  const dir = servers.dir('file-source');
  const document = join(dir, 'slow.arazzo.yaml');
  await writeFile(
    document,
    `arazzo: 1.0.1
info: {title: a slow source, version: 1.0.0}
sourceDescriptions:
  - {name: api, url: '${servers.a}/slow', type: openapi}
workflows: [{workflowId: w, steps: [{stepId: s, operationId: getX}]}]
`,
  );
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const started = performance.now();
  const result = await loadSources(await loadDocument(document), { signal: controller.signal });
  const elapsed = performance.now() - started;
  assert.match(
    result.errors[0]?.message ?? '',
    new RegExp(`fetching ${escape(servers.a)}/slow interrupted$`),
  );
  assert.ok(elapsed < 2_000, `ended after ${elapsed.toFixed(0)} ms`);
});

test('fetchRemote: a deadline says its limit; the default is 30 s', async () => {
  assert.equal(REMOTE_TIMEOUT_MS, 30_000);
  assert.equal(formatLimit(REMOTE_TIMEOUT_MS), '30 s');
  const budget = new FetchBudget({ timeoutMs: 1_000 });
  try {
    await assert.rejects(
      fetchRemote(`${servers.a}/huge-length`, { what: 'fetching a test', budget }).catch(
        // huge-length is refused at once; /slow never answers within the deadline.
        () => fetchRemote(`${servers.a}/slow`, { what: 'fetching a test', budget }),
      ),
      (error: unknown) =>
        error instanceof ArazzoError &&
        error.code === 'HTTP_TIMEOUT' &&
        error.message === `cannot fetch ${servers.a}/slow: no complete response within 1 s`,
    );
  } finally {
    budget.close();
  }
});

test('firstLocalRef: which $refs of a remote document would reach the local filesystem', () => {
  const base = 'http://127.0.0.1:1/docs/api.yaml';
  const local = (ref: string): string | undefined => firstLocalRef({ a: [{ $ref: ref }] }, base);
  // Resolved against the http base: stays on that server.
  for (const ref of [
    './x.yaml',
    '../../../../etc/passwd',
    '/etc/passwd',
    '\\\\evil\\share',
    'https://e.example/x',
    '#/local',
    '',
  ]) {
    assert.equal(local(ref), undefined, ref);
  }
  assert.equal(local('file:///etc/passwd#/x'), 'file:///etc/passwd');
  assert.equal(local('FILE:/etc/passwd'), 'file:///etc/passwd');
  assert.equal(local('C:/secret.txt'), 'c:/secret.txt');
  assert.equal(local('ab:host-secret'), 'ab:host-secret');
  // A key yaml keeps as data (`__proto__`) is walked like any other.
  const proto = JSON.parse('{"__proto__": {"$ref": "file:///etc/hostname"}}') as unknown;
  assert.equal(firstLocalRef({ deep: proto }, base), 'file:///etc/hostname');
});
