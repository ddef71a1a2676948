import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. */
export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-serialised unless it is a string. */
  readonly body?: unknown;
  /** Wait this long before answering (timeouts). */
  readonly delayMs?: number;
}

/** `"METHOD /path"` (no query) → answers in order; the last one repeats. */
export type Script = Readonly<Record<string, ScriptedResponse | readonly ScriptedResponse[]>>;

export interface SeenRequest {
  readonly method: string;
  /** Path with query. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly at: number;
}

export interface ScriptServer {
  readonly url: string;
  readonly requests: readonly SeenRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that answers from a script and records every request. */
export async function startScriptServer(script: Script): Promise<ScriptServer> {
  const requests: SeenRequest[] = [];
  const counters = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    void readAll(req).then((body) => {
      const url = req.url ?? '/';
      requests.push({ method: req.method ?? '', url, headers: req.headers, body, at: Date.now() });
      const key = `${req.method} ${url.split('?')[0]}`;
      const entry = script[key];
      const list: readonly ScriptedResponse[] =
        entry === undefined ? [] : isList(entry) ? entry : [entry];
      const count = counters.get(key) ?? 0;
      counters.set(key, count + 1);
      const answer: ScriptedResponse = list[Math.min(count, list.length - 1)] ?? {
        status: 404,
        body: { error: `no script for ${key}` },
      };
      const send = (): void => {
        const text =
          typeof answer.body === 'string'
            ? answer.body
            : answer.body === undefined
              ? ''
              : JSON.stringify(answer.body);
        const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json';
        res.writeHead(answer.status ?? 200, { 'content-type': type, ...answer.headers });
        res.end(text);
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) send();
        }, answer.delayMs);
        timers.add(timer);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isList(
  entry: ScriptedResponse | readonly ScriptedResponse[],
): entry is readonly ScriptedResponse[] {
  return Array.isArray(entry);
}
