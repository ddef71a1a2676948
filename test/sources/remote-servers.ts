import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../_helpers/cli.js';

/**
 * The two servers of the remote-hardening cases, as in the 2026-12 audit: **A** (127.0.0.1)
 * serves the hostile documents and routes, **B** (127.0.0.2, "another host"; Linux routes all
 * of 127/8 to loopback) only logs what it gets. The case documents live in
 * test/fixtures/remote/<case>/ with `{{A}}`, `{{B}}`, `{{DIR_URL}}` (the rendered case folder
 * as a file: URL) and `{{SECRET}}` placeholders; A serves each case's `served/` folder under
 * /f/<case>/.
 */

const FIXTURES = join(ROOT, 'test/fixtures/remote');
const MiB = 1024 * 1024;

export interface Logged {
  readonly url: string;
}

export interface RemoteServers {
  readonly a: string;
  readonly b: string;
  /** `127.0.0.1:<port>`, for `--allow-host`. */
  readonly aHost: string;
  readonly aLog: Logged[];
  readonly bLog: Logged[];
  /** The most /sized responses A was sending at once. */
  readonly sizedConcurrency: () => number;
  /** A value that must never leave this machine's files. */
  readonly secret: string;
  /** The rendered copy of a case folder. */
  dir(name: string): string;
  close(): Promise<void>;
}

/** One gzip member of 16 MiB of spaces (~16 KB); members concatenate into one gzip stream. */
const member = gzipSync(Buffer.alloc(16 * MiB, 0x20), { level: 9 });
/** 64 members: about 1 MB on the wire, 1 GiB decoded. */
const BOMB_MEMBERS = 64;
/** Where the "endless" body stops, so that the old code cannot take the machine down. */
const ENDLESS_LIMIT = 1024 * MiB;

export async function startRemoteServers(): Promise<RemoteServers> {
  const root = await mkdtemp(join(tmpdir(), 'arazzo-remote-'));
  const secret = `SECRET-${Math.random().toString(36).slice(2)}-9f8e7d`;
  const aLog: Logged[] = [];
  const bLog: Logged[] = [];
  const sized = { active: 0, max: 0 };
  const a = createServer((req, res) => void answerA(req, res, root, aLog, sized));
  const b = createServer((req, res) => {
    bLog.push({ url: req.url ?? '/' });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"type":"object"}');
  });
  await new Promise<void>((resolve) => a.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => b.listen(0, '127.0.0.2', resolve));
  const aUrl = `http://127.0.0.1:${(a.address() as AddressInfo).port}`;
  const bUrl = `http://127.0.0.2:${(b.address() as AddressInfo).port}`;
  for (const entry of await readdir(FIXTURES, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    await cp(join(FIXTURES, entry.name), dir, { recursive: true });
    const values: Record<string, string> = {
      A: aUrl,
      B: bUrl,
      DIR_URL: pathToFileURL(dir).href,
      SECRET: secret,
    };
    await renderTree(dir, values);
  }
  return {
    a: aUrl,
    b: bUrl,
    aHost: new URL(aUrl).host,
    aLog,
    bLog,
    sizedConcurrency: () => sized.max,
    secret,
    dir: (name) => join(root, name),
    close: async () => {
      a.closeAllConnections();
      b.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => a.close(() => resolve())),
        new Promise<void>((resolve) => b.close(() => resolve())),
      ]);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function renderTree(dir: string, values: Record<string, string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, 'utf8');
    await writeFile(
      path,
      text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole),
    );
  }
}

async function answerA(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  log: Logged[],
  sized: { active: number; max: number },
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://a.invalid');
  log.push({ url: req.url ?? '/' });
  res.on('error', () => undefined);
  const served = /^\/f\/([\w-]+)\/(.+)$/.exec(url.pathname);
  if (served?.[1] && served[2]) {
    const path = join(root, served[1], 'served', served[2]);
    if (relative(join(root, served[1], 'served'), path).startsWith(`..${sep}`)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
    return;
  }
  switch (url.pathname) {
    case '/redirect':
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      return;
    case '/endless':
      res.writeHead(200, { 'content-type': 'application/yaml' });
      pump(res, Buffer.alloc(64 * 1024, 0x20), ENDLESS_LIMIT);
      return;
    case '/gzip-bomb':
      res.writeHead(200, {
        'content-type': 'application/yaml',
        'content-encoding': 'gzip',
        'content-length': member.length * BOMB_MEMBERS,
      });
      pump(res, member, member.length * BOMB_MEMBERS);
      return;
    case '/huge-length':
      // Announces 5 GB, sends a few bytes, then nothing: a reader that waits for the body
      // waits for its deadline.
      res.writeHead(200, { 'content-type': 'application/yaml', 'content-length': 5_000_000_000 });
      res.write('openapi: 3.1.0\n');
      return;
    case '/sized': {
      // `{}` and then spaces, `bytes` in all (a valid, if padded, YAML document).
      const bytes = Number(url.searchParams.get('bytes') ?? 0);
      sized.active += 1;
      sized.max = Math.max(sized.max, sized.active);
      res.on('close', () => (sized.active -= 1));
      res.writeHead(200, { 'content-type': 'application/yaml', 'content-length': bytes });
      res.write('{}');
      pump(res, Buffer.alloc(64 * 1024, 0x20), bytes - 2);
      return;
    }
    case '/slow':
      setTimeout(() => res.writeHead(404).end(), 5_000).unref();
      return;
    default:
      // /n/...: where a leaked value would arrive as a request path.
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }
}

/** Writes `chunk` as fast as the client reads until `limit` bytes went out or the client left. */
function pump(res: ServerResponse, chunk: Buffer, limit: number): void {
  let written = 0;
  const more = (): void => {
    while (!res.destroyed && written < limit) {
      const piece = limit - written >= chunk.length ? chunk : chunk.subarray(0, limit - written);
      written += piece.length;
      if (!res.write(piece)) {
        res.once('drain', more);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  more();
}
