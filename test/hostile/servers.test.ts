import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { ArazzoError } from '../../src/errors.js';
import { openDocument, runWorkflow } from '../../src/index.js';
import { UndiciTransport } from '../../src/http/undici-transport.js';
import { parseBody } from '../../src/http/parse-body.js';
import { MAX_REMOTE_BYTES } from '../../src/sources/fetch-remote.js';
import { ROOT } from '../_helpers/cli.js';
import { RSS_METHOD, runMeasured, type MeasuredRun } from './measure.js';

/**
 * Hostile servers: one raw `node:net` (or `node:https`) server per case on 127.0.0.1, and the
 * real CLI (unhandled rejections fatal) running test/fixtures/hostile/arazzo.yaml — one GET
 * whose criteria are `$statusCode == 200` and `$response.body#/ok == true` — against it. Every
 * case must end with exit 1 and a line that names the problem, without a stack trace, in
 * bounded time; the big-body and drip-feed cases also in bounded memory.
 */

const DOCUMENT = join(ROOT, 'test/fixtures/hostile/arazzo.yaml');
/** The same GET, `$statusCode == 200` only, the whole body kept as an output. */
const WHOLE_BODY = join(ROOT, 'test/fixtures/hostile/whole-body.arazzo.yaml');
const MiB = 1024 * 1024;
/** RunOptions.maxResponseBytes' default: the CLI's cap when no --max-response-size is given. */
const DEFAULT_CAP = 10 * MiB;
const RSS_LIMIT_KIB = 300 * 1024;

interface Hostile {
  readonly url: string;
  /** Bytes the server wrote, over all connections. */
  bytesSent(): number;
  close(): Promise<void>;
}

/**
 * A raw TCP server that calls `answer` with each connection once the request's first bytes
 * arrived. Every socket is tracked, so close() ends the lot whatever state it is in.
 */
async function rawServer(answer: (socket: Socket) => void): Promise<Hostile> {
  const sockets = new Set<Socket>();
  let sent = 0;
  const server = createNetServer((socket) => {
    sockets.add(socket);
    // The client resets connections it gives up on; that is expected here.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sent += socket.bytesWritten;
      sockets.delete(socket);
    });
    socket.once('data', () => answer(socket));
  });
  return listen(server, 'http', sockets, () => sent);
}

async function listen(
  server: Server,
  scheme: 'http' | 'https',
  sockets: Set<Socket>,
  sent: () => number,
): Promise<Hostile> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    bytesSent: () => sent() + [...sockets].reduce((sum, s) => sum + s.bytesWritten, 0),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function head(status: string, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status}\r\n${lines.join('')}\r\n`;
}

/** Writes `chunk` as fast as the client reads until `limit` bytes went out or the socket died. */
function pump(socket: Socket, chunk: Buffer, limit: number): void {
  let written = 0;
  const more = (): void => {
    while (!socket.destroyed && written < limit) {
      const piece = limit - written >= chunk.length ? chunk : chunk.subarray(0, limit - written);
      written += piece.length;
      if (!socket.write(piece)) {
        socket.once('drain', more);
        return;
      }
    }
    if (!socket.destroyed) socket.end();
  };
  more();
}

/** Repeats `tick` every `ms` until the socket closes. */
function every(socket: Socket, ms: number, tick: () => void): void {
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : tick()), ms);
  socket.on('close', () => clearInterval(timer));
}

/** A deterministic byte soup (xorshift32), invalid UTF-8 and NULs included. */
function junkBytes(length: number, seed = 0x9e3779b9): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed >>> 0;
  for (let index = 0; index < length; index += 1) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[index] = x & 0xff;
  }
  return bytes;
}

interface Case {
  readonly name: string;
  readonly start: () => Promise<Hostile>;
  readonly args?: readonly string[];
  /** Default: test/fixtures/hostile/arazzo.yaml. */
  readonly document?: string;
  readonly exitCode?: number;
  /** A line of the output that names the problem. */
  readonly line: RegExp;
  /** Upper bound on the CLI's wall time. */
  readonly maxMs: number;
  /** Also assert the CLI's peak RSS stays under 300 MiB. */
  readonly boundedMemory?: boolean;
  /** Must match nowhere in stdout or stderr (e.g. raw control characters). */
  readonly absent?: RegExp;
  readonly skip?: string;
}

const TIMEOUT_1S = ['--request-timeout', '1s'];
const CRITERION_ON_TEXT =
  /\$response\.body#\/ok == true, but \$response\.body#\/ok is undefined \(the value is a string/;

let certificate: { dir: string; key: Buffer; cert: Buffer } | undefined;
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const noOpenssl =
  openssl.error === undefined && openssl.status === 0
    ? undefined
    : 'the openssl CLI is not installed: no self-signed certificate can be made for the TLS case';

function selfSigned(): { key: Buffer; cert: Buffer } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-hostile-tls-'));
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(made.status, 0, `openssl req failed: ${made.stderr}`);
  certificate = {
    dir,
    key: readFileSync(join(dir, 'key.pem')),
    cert: readFileSync(join(dir, 'cert.pem')),
  };
  return certificate;
}

const cases: readonly Case[] = [
  {
    name: 'control: a well-behaved server passes (the fixture is sound)',
    start: () =>
      rawServer((socket) =>
        socket.end(
          head('200 OK', { 'content-type': 'application/json', 'content-length': 11 }) +
            '{"ok":true}',
        ),
      ),
    exitCode: 0,
    line: /fetch succeeded/,
    maxMs: 8_000,
  },
  {
    name: 'connection reset in the middle of the response headers',
    start: () =>
      rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Ty');
        setTimeout(() => socket.resetAndDestroy(), 50);
      }),
    line: /: connection reset by the server before the response headers$/m,
    maxMs: 8_000,
  },
  {
    name: 'connection reset in the middle of the body',
    start: () =>
      rawServer((socket) => {
        socket.write(
          head('200 OK', { 'content-type': 'application/json', 'content-length': 1000 }) + '{"ok":',
        );
        setTimeout(() => socket.resetAndDestroy(), 50);
      }),
    line: /: connection reset by the server \(6 of 1000 body bytes received\)$/m,
    maxMs: 8_000,
  },
  {
    name: 'Content-Length: 100, then the connection closes after 10 bytes',
    start: () =>
      rawServer((socket) => {
        socket.write(
          head('200 OK', { 'content-type': 'application/json', 'content-length': 100 }) +
            '{"ok":true',
        );
        setTimeout(() => socket.end(), 50);
      }),
    line: /: the server closed the connection before the response was complete \(10 of 100 body bytes received\)$/m,
    maxMs: 8_000,
  },
  {
    name: 'the connection closes in the middle of the response headers',
    start: () =>
      rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Ty');
        setTimeout(() => socket.end(), 50);
      }),
    line: /: the server closed the connection before the response headers were complete$/m,
    maxMs: 8_000,
  },
  {
    name: 'the server accepts and never answers (request timeout)',
    start: () => rawServer(() => undefined),
    args: TIMEOUT_1S,
    line: /: no response within 1000 ms \(request timeout\)$/m,
    maxMs: 8_000,
  },
  {
    name: 'not HTTP at all',
    start: () => rawServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')),
    line: /: malformed HTTP response: /,
    maxMs: 8_000,
  },
  {
    name: 'endless response headers',
    start: () =>
      rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        const header = Buffer.from(`X-Junk: ${'a'.repeat(1000)}\r\n`);
        pump(socket, header, 64 * MiB);
      }),
    line: /: the response headers are too large$/m,
    maxMs: 8_000,
    boundedMemory: true,
  },
  {
    name: 'a 256 MiB body (announced by Content-Length) at full speed',
    start: () =>
      rawServer((socket) => {
        socket.write(
          head('200 OK', { 'content-type': 'application/json', 'content-length': 256 * MiB }),
        );
        pump(socket, Buffer.alloc(64 * 1024, 0x20), 256 * MiB);
      }),
    line: new RegExp(
      `: response body exceeds ${DEFAULT_CAP} bytes \\(raise --max-response-size\\)$`,
      'm',
    ),
    maxMs: 10_000,
    boundedMemory: true,
  },
  {
    name: 'an endless chunked body at full speed',
    start: () =>
      rawServer((socket) => {
        socket.write(
          head('200 OK', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }),
        );
        const data = Buffer.alloc(64 * 1024, 0x20);
        const frame = Buffer.concat([
          Buffer.from(`${data.length.toString(16)}\r\n`),
          data,
          Buffer.from('\r\n'),
        ]);
        pump(socket, frame, Number.MAX_SAFE_INTEGER);
      }),
    line: new RegExp(
      `: response body exceeds ${DEFAULT_CAP} bytes \\(raise --max-response-size\\)$`,
      'm',
    ),
    maxMs: 10_000,
    boundedMemory: true,
  },
  {
    name: 'a body that drips one byte per 100 ms forever (the deadline covers the whole body)',
    // undici's bodyTimeout is an idle timer that every chunk restarts: it never fires here.
    start: () => dripServer(100),
    args: TIMEOUT_1S,
    line: /: request timeout: the response body was not complete within 1000 ms \(\d+ body bytes received\)$/m,
    maxMs: 8_000,
    boundedMemory: true,
  },
  {
    // Issue 21 F13: clear-screen, colour, an OSC title change ended by BEL, a C1 CSI, a bidi
    // override and NUL, printed by --verbose (the body) and by the outputs line. They must
    // reach the terminal escaped (\u001b…), never raw; newlines and tabs stay readable. (undici
    // refuses control characters in header values itself.)
    name: 'terminal escape sequences and NUL in a response body (--verbose)',
    start: () =>
      rawServer((socket) => {
        const body =
          'status \x1b[2J\x1b[31mFAKE\x1b]0;pwned\x07 \x9b6n \u202egnp.exe\x00 end\n\tnext';
        socket.end(
          head('200 OK', {
            'content-type': 'text/plain; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          }) + body,
        );
      }),
    document: WHOLE_BODY,
    args: ['--verbose'],
    exitCode: 0,
    line: /^ {2}status \\u001b\[2J\\u001b\[31mFAKE\\u001b\]0;pwned\\u0007 \\u009b6n \\u202egnp\.exe\\u0000 end$/m,
    // eslint-disable-next-line no-control-regex -- raw control characters are what must not appear.
    absent: /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/,
    maxMs: 8_000,
  },
  {
    name: 'malformed JSON labelled application/json: the criterion sees text and says so',
    start: () =>
      rawServer((socket) =>
        socket.end(
          head('200 OK', { 'content-type': 'application/json', 'content-length': 10 }) +
            '{"ok":tru}',
        ),
      ),
    line: CRITERION_ON_TEXT,
    maxMs: 8_000,
  },
  {
    name: 'a content type that lies: JSON labelled text/html',
    start: () =>
      rawServer((socket) =>
        socket.end(
          head('200 OK', { 'content-type': 'text/html; charset=utf-8', 'content-length': 11 }) +
            '{"ok":true}',
        ),
      ),
    line: CRITERION_ON_TEXT,
    maxMs: 8_000,
  },
  {
    name: 'a content type that lies: binary labelled application/json',
    start: () =>
      rawServer((socket) => {
        const body = junkBytes(4096);
        socket.write(
          head('200 OK', { 'content-type': 'application/json', 'content-length': body.length }),
        );
        socket.end(body);
      }),
    line: CRITERION_ON_TEXT,
    maxMs: 8_000,
  },
  {
    name: 'JSON nested 100,000 levels deep, kept whole as an output: it stays text, no stack overflow',
    start: () =>
      rawServer((socket) => {
        const body = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
        socket.end(
          head('200 OK', { 'content-type': 'application/json', 'content-length': body.length }) +
            body,
        );
      }),
    document: WHOLE_BODY,
    exitCode: 0,
    line: /fetch succeeded/,
    maxMs: 8_000,
    boundedMemory: true,
  },
  {
    name: 'a JSON parse bomb: 10 MB of empty objects stays text, in bounded memory',
    start: () =>
      rawServer((socket) => {
        const body = Buffer.from(`[${'{},'.repeat(3_400_000)}{}]`);
        socket.write(
          head('200 OK', { 'content-type': 'application/json', 'content-length': body.length }),
        );
        socket.end(body);
      }),
    line: CRITERION_ON_TEXT,
    maxMs: 10_000,
    boundedMemory: true,
  },
  {
    name: 'HTTPS with a self-signed certificate',
    ...(noOpenssl === undefined ? {} : { skip: noOpenssl }),
    start: async () => {
      const sockets = new Set<Socket>();
      const server = createHttpsServer(selfSigned(), (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      // The client aborts the handshake; the server must not throw for it.
      server.on('tlsClientError', () => undefined);
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      });
      return listen(server, 'https', sockets, () => 0);
    },
    line: /: TLS: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/m,
    maxMs: 8_000,
  },
];

for (const spec of cases) {
  test(spec.name, { timeout: 60_000, ...(spec.skip ? { skip: spec.skip } : {}) }, async (t) => {
    const server = await spec.start();
    let run: MeasuredRun;
    try {
      run = await runMeasured(
        [
          'run',
          spec.document ?? DOCUMENT,
          '--server',
          `api=${server.url}`,
          '--timeout',
          '20s',
          ...(spec.args ?? []),
        ],
        { timeoutMs: 30_000 },
      );
    } finally {
      await server.close();
    }
    const output = `${run.stdout}\n${run.stderr}`;
    const rss = run.maxRssKiB === undefined ? 'n/a' : `${(run.maxRssKiB / 1024).toFixed(0)} MiB`;
    t.diagnostic(
      `exit ${run.code}, ${run.wallMs.toFixed(0)} ms, peak RSS ${rss} (${RSS_METHOD}), ` +
        `server sent ${server.bytesSent()} bytes`,
    );
    const reason = output.split('\n').find((line) => spec.line.test(line));
    if (reason) t.diagnostic(`line: ${reason.trim()}`);

    assert.equal(run.killed, false, `the CLI did not end within 30 s\n${output}`);
    assert.equal(run.code, spec.exitCode ?? 1, `exit code\n${output}`);
    assert.ok(reason, `no line matches ${spec.line}\n${output}`);
    assert.doesNotMatch(output, /\n\s+at /, 'a stack trace');
    assert.doesNotMatch(output, /internal error|Unhandled|uncaught/i);
    assert.ok(run.wallMs < spec.maxMs, `took ${run.wallMs.toFixed(0)} ms`);
    if (spec.absent) {
      const found = spec.absent.exec(output);
      assert.equal(
        found,
        null,
        `${JSON.stringify(found?.[0])} in the output: ${JSON.stringify(output)}`,
      );
    }
    if (spec.boundedMemory) {
      assert.ok(run.maxRssKiB !== undefined, `no RSS reported (${RSS_METHOD})\n${run.stderr}`);
      assert.ok(run.maxRssKiB < RSS_LIMIT_KIB, `peak RSS ${run.maxRssKiB} KiB`);
    }
  });
}

/**
 * The same hostile servers behind the two other downloads the runner makes: a source description
 * and a remote `$ref` inside a (local) OpenAPI description. Both go through
 * src/sources/fetch-remote.ts, with 16 MiB per description (and for all its remote `$ref`s
 * together) and 30 s; `validate` must end with exit 1 and a finding that names the problem.
 * (The drip-feed and never-answering servers would take the full 30 s here: the deadline is
 * tested in test/sources/remote-hardening.test.ts with a shorter one.)
 */
interface DownloadCase {
  readonly name: string;
  readonly start: () => Promise<Hostile>;
  /** A line of the output, given the URL fetched and the description that names it. */
  readonly source: (url: string) => RegExp;
  readonly ref: (url: string, description: string) => RegExp;
  readonly boundedMemory?: boolean;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LIMIT = MAX_REMOTE_BYTES;
const tooLargeSource = (url: string, detail = ''): RegExp =>
  new RegExp(`${escapeRegExp(url)} is larger than ${LIMIT} bytes${escapeRegExp(detail)}$`, 'm');
const tooLargeRefs = (url: string, description: string, detail = ''): RegExp =>
  new RegExp(
    `${escapeRegExp(url)}: the remote \\$refs of ${escapeRegExp(description)} are larger than ${LIMIT} bytes in total${escapeRegExp(detail)}$`,
    'm',
  );
const cannotFetch = (reason: string) => (url: string) =>
  new RegExp(`cannot fetch ${escapeRegExp(url)}: ${escapeRegExp(reason)}$`, 'm');

/** Frames `data` as one HTTP/1.1 chunk. */
const chunk = (data: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);

const downloadCases: readonly DownloadCase[] = [
  {
    name: 'an endless chunked body',
    start: () =>
      rawServer((socket) => {
        socket.write(head('200 OK', { 'transfer-encoding': 'chunked' }));
        pump(socket, chunk(Buffer.alloc(64 * 1024, 0x20)), Number.MAX_SAFE_INTEGER);
      }),
    source: (url) => tooLargeSource(url),
    ref: (url, description) => tooLargeRefs(url, description),
    boundedMemory: true,
  },
  {
    name: 'an endless gzip stream (a gzip bomb: 16 MiB decoded per 16 KB sent)',
    start: () => {
      const member = gzipSync(Buffer.alloc(16 * MiB, 0x20), { level: 9 });
      return rawServer((socket) => {
        socket.write(
          head('200 OK', { 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' }),
        );
        pump(socket, chunk(member), Number.MAX_SAFE_INTEGER);
      });
    },
    source: (url) => tooLargeSource(url),
    ref: (url, description) => tooLargeRefs(url, description),
    boundedMemory: true,
  },
  {
    name: 'a 256 MiB body announced by Content-Length: refused before the body is read',
    start: () =>
      rawServer((socket) => {
        socket.write(head('200 OK', { 'content-length': 256 * MiB }));
        pump(socket, Buffer.alloc(64 * 1024, 0x20), 256 * MiB);
      }),
    source: (url) => tooLargeSource(url, ` (Content-Length: ${256 * MiB})`),
    ref: (url, description) => tooLargeRefs(url, description, ` (Content-Length: ${256 * MiB})`),
    boundedMemory: true,
  },
  {
    name: 'a connection reset in the middle of the body',
    start: () =>
      rawServer((socket) => {
        socket.write(head('200 OK', { 'content-length': 1000 }) + 'openapi: ');
        setTimeout(() => socket.resetAndDestroy(), 50);
      }),
    source: cannotFetch('connection reset by the server (ECONNRESET)'),
    ref: cannotFetch('connection reset by the server (ECONNRESET)'),
  },
  {
    name: 'not HTTP at all',
    start: () => rawServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')),
    source: cannotFetch('malformed HTTP response (HPE_INVALID_CONSTANT)'),
    ref: cannotFetch('malformed HTTP response (HPE_INVALID_CONSTANT)'),
  },
  {
    name: 'a redirect to itself, forever',
    start: () =>
      rawServer((socket) =>
        socket.end(head('302 Found', { location: '/again', 'content-length': 0 })),
      ),
    source: (url) => new RegExp(`more than 5 redirects fetching ${escapeRegExp(url)}$`, 'm'),
    ref: (url) => new RegExp(`more than 5 redirects fetching ${escapeRegExp(url)}$`, 'm'),
  },
];

/** A local workflow whose only source is `sourceUrl`. */
function workflowText(sourceUrl: string): string {
  return `arazzo: 1.0.1
info: {title: hostile download, version: 1.0.0}
sourceDescriptions:
  - {name: api, url: '${sourceUrl}', type: openapi}
workflows:
  - workflowId: w
    steps:
      - {stepId: s, operationId: getThing, successCriteria: [{condition: $statusCode == 200}]}
`;
}

for (const spec of downloadCases) {
  for (const via of ['source', 'ref'] as const) {
    const what = via === 'source' ? 'a source description' : 'a remote $ref';
    test(`${what} from ${spec.name}`, { timeout: 60_000 }, async (t) => {
      const server = await spec.start();
      const dir = mkdtempSync(join(tmpdir(), 'arazzo-hostile-download-'));
      const url = `${server.url}/hostile.yaml`;
      const description = join(dir, 'api.openapi.yaml');
      const document = join(dir, 'arazzo.yaml');
      let run: MeasuredRun;
      try {
        writeFileSync(
          description,
          `openapi: 3.1.0
info: {title: a $ref to a hostile server, version: '1'}
paths:
  /thing:
    get:
      operationId: getThing
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '${url}'}}}}}
`,
        );
        writeFileSync(document, workflowText(via === 'source' ? url : './api.openapi.yaml'));
        run = await runMeasured(['validate', document], { timeoutMs: 40_000 });
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
      const output = `${run.stdout}\n${run.stderr}`;
      const line = via === 'source' ? spec.source(url) : spec.ref(url, description);
      const reason = output.split('\n').find((entry) => line.test(entry));
      const rss = run.maxRssKiB === undefined ? 'n/a' : `${(run.maxRssKiB / 1024).toFixed(0)} MiB`;
      t.diagnostic(
        `exit ${run.code}, ${run.wallMs.toFixed(0)} ms, peak RSS ${rss} (${RSS_METHOD})`,
      );
      if (reason) t.diagnostic(`line: ${reason.trim()}`);
      assert.equal(run.killed, false, `the CLI did not end within 40 s\n${output}`);
      assert.ok(reason, `no line matches ${line}\n${output}`);
      assert.equal(run.code, 1, `exit code\n${output}`);
      assert.doesNotMatch(output, /\n\s+at /, 'a stack trace');
      assert.ok(run.wallMs < 10_000, `took ${run.wallMs.toFixed(0)} ms`);
      if (spec.boundedMemory) {
        assert.ok(run.maxRssKiB !== undefined, `no RSS reported (${RSS_METHOD})`);
        assert.ok(run.maxRssKiB < RSS_LIMIT_KIB, `peak RSS ${run.maxRssKiB} KiB`);
      }
    });
  }
}

after(() => {
  if (certificate) rmSync(certificate.dir, { recursive: true, force: true });
});

/** A server that sends headers, then one body byte every `everyMs`, forever. */
function dripServer(everyMs: number): Promise<Hostile> {
  return rawServer((socket) => {
    socket.write(
      head('200 OK', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }),
    );
    every(socket, everyMs, () => socket.write('1\r\n \r\n'));
  });
}

test('premise: undici’s bodyTimeout is an idle timer that a drip-feed never trips', async () => {
  const server = await dripServer(30);
  const agent = new Agent();
  try {
    const response = await request(`${server.url}/thing`, {
      dispatcher: agent,
      headersTimeout: 1000,
      bodyTimeout: 500,
      signal: AbortSignal.timeout(3000),
    });
    let bytes = 0;
    const started = performance.now();
    // Read for 1.5 s, three times the bodyTimeout: no BodyTimeoutError may interrupt.
    for await (const chunk of response.body) {
      bytes += (chunk as Buffer).length;
      if (performance.now() - started > 1500) break;
    }
    assert.ok(bytes >= 10, `${bytes} bytes`);
  } finally {
    await agent.destroy();
    await server.close();
  }
});

/**
 * `global.gc` without `--expose-gc`: V8 lets the flag be set at run time, and a fresh context
 * then has `gc`.
 */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

test('UndiciTransport: the request deadline covers the whole body, and says timeout', async () => {
  const server = await dripServer(50);
  const transport = new UndiciTransport();
  const started = performance.now();
  // Garbage collection while the body drips: a deadline that only an AbortSignal.any() composite
  // referenced (AbortSignal.timeout()) was collected on Node 20 and never fired.
  const gc = collectGarbage();
  const pressure = setInterval(gc, 20);
  // A hang must fail this test, not stall the suite.
  const limit = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('no error within 5 s')), 5000).unref(),
  );
  try {
    await assert.rejects(
      Promise.race([
        transport.send(
          { method: 'GET', url: `${server.url}/thing`, headers: {} },
          { signal: new AbortController().signal, timeoutMs: 500, maxBodyBytes: 1024 },
        ),
        limit,
      ]),
      (error: unknown) =>
        error instanceof ArazzoError &&
        error.code === 'HTTP_TIMEOUT' &&
        /request timeout: the response body was not complete within 500 ms \(\d+ body bytes received\)$/.test(
          error.message,
        ) &&
        !/aborted/.test(error.message),
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 450 && elapsed < 2000, `ended after ${elapsed.toFixed(0)} ms`);
  } finally {
    clearInterval(pressure);
    await transport.close();
    await server.close();
  }
});

// Found here; fixed in 60bcc26 (src/runtime/run.ts held AbortSignal.timeout() only through
// AbortSignal.any(), which holds its sources weakly: after a GC the run deadline never fired).
test('runWorkflow: the run deadline (--timeout) survives garbage collection', async () => {
  const server = await rawServer(() => undefined); // accepts, never answers
  const gc = collectGarbage();
  const pressure = setInterval(gc, 20);
  const started = performance.now();
  try {
    const scope = await openDocument(DOCUMENT);
    const result = await runWorkflow(scope, {
      servers: { api: server.url },
      timeoutMs: 500,
      requestTimeoutMs: 3000,
    });
    const elapsed = performance.now() - started;
    assert.equal(result.error?.code, 'RUN_TIMEOUT', JSON.stringify(result.error));
    assert.ok(elapsed < 2000, `ended after ${elapsed.toFixed(0)} ms`);
  } finally {
    clearInterval(pressure);
    await server.close();
  }
});

test('parseBody: JSON beyond 256 levels or a million objects and arrays stays text', () => {
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  assert.equal(typeof parseBody(nested(256), 'application/json'), 'object');
  assert.equal(parseBody(nested(257), 'application/json'), nested(257));
  // Brackets inside strings (escaped quotes included) are text, not nesting.
  const inner = `"\\${'['.repeat(1000)}`; // a quote, a backslash, a thousand brackets
  assert.deepEqual(parseBody(JSON.stringify({ a: inner }), 'application/json'), { a: inner });
  const flood = (count: number): string => `[${'[],'.repeat(count - 2)}[]]`;
  assert.equal((parseBody(flood(999_999), 'application/json') as unknown[]).length, 999_998);
  assert.equal(typeof parseBody(flood(1_000_001), 'application/json'), 'string');
});
