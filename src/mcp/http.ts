import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createServer, type ServerParts } from './server.js';

export interface HttpOptions {
  /** Default 127.0.0.1: a local server is not reachable from the network unless told so. */
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Browser origins allowed besides the server's own (`--allow-origin`). */
  readonly allowedOrigins?: readonly string[];
}

export interface HttpServer {
  /** The endpoint, e.g. `http://127.0.0.1:7010/mcp`. */
  readonly url: string;
  close(): Promise<void>;
}

const PATH = '/mcp';

/**
 * Streamable HTTP at `/mcp` (MCP 2025-11-25 §Transports), one MCP session per client. The
 * transport's security warning is applied here: the `Origin` header is checked (DNS
 * rebinding), the `Host` too when bound to a loopback address, and a bearer token is required
 * on every request when one is configured.
 */
export async function serveHttp(parts: ServerParts, options: HttpOptions): Promise<HttpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      parts.log(`HTTP request failed: ${(error as Error).message}`);
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.end();
    });
  });
  let port = options.port;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== PATH) return reply(res, 404, `not found: the MCP endpoint is ${PATH}`);
    const refusal = checkRequest(req, options, port);
    if (refusal !== undefined) {
      if (refusal.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      return reply(res, refusal.status, refusal.message);
    }
    const id = req.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const transport = sessions.get(id);
      if (transport === undefined) return reply(res, 404, 'unknown or expired session');
      return transport.handleRequest(req, res);
    }
    // No session yet: only an initialize request may open one (the transport refuses others).
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        sessions.set(sessionId, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    const server = createServer(parts);
    await server.connect(transport);
    await transport.handleRequest(req, res);
    if (transport.sessionId === undefined) await server.close();
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${PATH}`,
    close: async () => {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function checkRequest(
  req: IncomingMessage,
  options: HttpOptions,
  port: number,
): { status: number; message: string } | undefined {
  const local = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const host = req.headers.host ?? '';
  if (isLoopback(options.host) && !local.includes(host.toLowerCase())) {
    return { status: 403, message: `Host ${host} is not this server` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const own = [`http://${host}`, ...local.map((h) => `http://${h}`)];
    if (!own.includes(origin) && !(options.allowedOrigins ?? []).includes(origin)) {
      return { status: 403, message: `Origin ${origin} is not allowed` };
    }
  }
  if (options.token !== undefined) {
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!sameSecret(given, options.token)) {
      return { status: 401, message: 'a bearer token is required' };
    }
  }
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A JSON-RPC error body, as clients of the transport expect on a refused request. */
function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
