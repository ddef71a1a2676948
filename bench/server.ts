/**
 * The poll benchmark's job API, in its own process:
 * `node dist/bench/server.js [K] [--exit-with-stdin]`.
 *
 * - `GET /status/{id}`: `{"status":"running"}` for the first K calls since the last reset, then
 *   `{"status":"completed","result":{"output":"done"}}`;
 * - `POST /resume`: `{"status":"resumed","message":"ok"}` (the request body is read and kept);
 * - both demand `Authorization: Bearer t` (401 otherwise);
 * - `POST /reset?k=K`: new K, counters cleared (one server serves many runs);
 * - `GET /__stats`: the counters and what the first and last status requests and the resume
 *   request carried (method, path, headers, body), so the bench can check that the runner and the
 *   baseline sent the same requests.
 *
 * Listens on 127.0.0.1 at a free port and prints the port on stdout. Exits on SIGTERM/SIGINT, and
 * with `--exit-with-stdin` also when its stdin closes (so it never outlives the bench).
 *
 * The per-request cost is kept small and constant: no URL parsing, pre-serialised bodies, and
 * only references to the interesting requests' raw headers are kept (they are formatted when
 * `/__stats` asks).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: readonly string[];
  body: string;
}

/** What a request carried, minus what differs between any two clients on the same machine. */
export interface RequestShape {
  readonly method: string;
  readonly url: string;
  /** `name: value` lines as sent (order and case), `host` without its port. */
  readonly headers: readonly string[];
  readonly body: string;
}

export interface ServerStats {
  readonly k: number;
  readonly statusCalls: number;
  readonly resumeCalls: number;
  readonly unauthorized: number;
  readonly notFound: number;
  /** TCP connections accepted since the last reset (1 when the client keeps its socket alive). */
  readonly connections: number;
  /** The server's own CPU time (user + system) since the last reset, in microseconds. */
  readonly cpuMicros: number;
  readonly firstStatus: RequestShape | null;
  readonly lastStatus: RequestShape | null;
  readonly resume: RequestShape | null;
}

const RUNNING = Buffer.from('{"status":"running"}');
const COMPLETED = Buffer.from('{"status":"completed","result":{"output":"done"}}');
const RESUMED = Buffer.from('{"status":"resumed","message":"ok"}');
const UNAUTHORIZED = Buffer.from('{"error":"unauthorized"}');
const NOT_FOUND = Buffer.from('{"error":"not found"}');
const OK = Buffer.from('{"ok":true}');

const args = process.argv.slice(2);
let k = Number.parseInt(args.find((arg) => /^\d+$/.test(arg)) ?? '1', 10);
let statusCalls = 0;
let resumeCalls = 0;
let unauthorized = 0;
let notFound = 0;
let connections = 0;
let firstStatus: Seen | null = null;
let lastStatus: Seen | null = null;
let resume: Seen | null = null;
let cpuAtReset = process.cpuUsage();

function send(res: ServerResponse, code: number, body: Buffer): void {
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

function shape(seen: Seen | null): RequestShape | null {
  if (seen === null) return null;
  const headers: string[] = [];
  for (let i = 0; i + 1 < seen.rawHeaders.length; i += 2) {
    const name = seen.rawHeaders[i] ?? '';
    const value = seen.rawHeaders[i + 1] ?? '';
    const host = name.toLowerCase() === 'host';
    headers.push(`${name}: ${host ? value.replace(/:\d+$/, '') : value}`);
  }
  return { method: seen.method, url: seen.url, headers, body: seen.body };
}

function stats(): ServerStats {
  return {
    k,
    statusCalls,
    resumeCalls,
    unauthorized,
    notFound,
    connections,
    cpuMicros: (({ user, system }) => user + system)(process.cpuUsage(cpuAtReset)),
    firstStatus: shape(firstStatus),
    lastStatus: shape(lastStatus),
    resume: shape(resume),
  };
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.startsWith('/status/')) {
    if (req.headers.authorization !== 'Bearer t') {
      unauthorized += 1;
      send(res, 401, UNAUTHORIZED);
      return;
    }
    statusCalls += 1;
    const seen: Seen = { method, url, rawHeaders: req.rawHeaders, body: '' };
    if (firstStatus === null) firstStatus = seen;
    else lastStatus = seen;
    send(res, 200, statusCalls <= k ? RUNNING : COMPLETED);
    return;
  }
  if (method === 'POST' && url === '/resume') {
    if (req.headers.authorization !== 'Bearer t') {
      unauthorized += 1;
      send(res, 401, UNAUTHORIZED);
      return;
    }
    resumeCalls += 1;
    const seen: Seen = { method, url, rawHeaders: req.rawHeaders, body: '' };
    resume = seen;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (seen.body += chunk));
    req.on('end', () => send(res, 200, RESUMED));
    return;
  }
  if (method === 'POST' && url.startsWith('/reset')) {
    const match = /[?&]k=(\d+)/.exec(url);
    if (match?.[1] !== undefined) k = Number.parseInt(match[1], 10);
    statusCalls = resumeCalls = unauthorized = notFound = connections = 0;
    firstStatus = lastStatus = resume = null;
    cpuAtReset = process.cpuUsage();
    req.resume();
    req.on('end', () => send(res, 200, OK));
    return;
  }
  if (method === 'GET' && url === '/__stats') {
    send(res, 200, Buffer.from(JSON.stringify(stats())));
    return;
  }
  notFound += 1;
  req.resume();
  send(res, 404, NOT_FOUND);
}

const server = createServer({ keepAliveTimeout: 60_000 }, handle);
server.on('connection', () => (connections += 1));

function stop(): void {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  // Never hang on a lingering socket.
  setTimeout(() => process.exit(0), 1000).unref();
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// `--exit-with-stdin`: the spawning bench holds our stdin open; when it goes, so do we.
if (args.includes('--exit-with-stdin')) process.stdin.on('end', stop).on('error', stop).resume();
