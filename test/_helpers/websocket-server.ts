/**
 * A real WebSocket server for tests (`ws`'s WebSocketServer on a loopback port, in-process),
 * routed by the last path segment so a server URL with a path can be tested:
 *   - `…/echo`: every frame goes back to its sender as it came (text as text, binary as binary);
 *   - `…/handshake`: first sends `{ path, query, headers }` of the opening handshake (headers
 *     `x-*` only), then echoes;
 *   - `…/once`: echoes the first frame, then closes the connection (1000);
 *   - anything else: 404 at the handshake.
 * Paths under `/secure/` need HTTP Basic `user` / `password`, else 401.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface TestWebSocketServer {
  /** `ws://127.0.0.1:<port>`, no path. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  close(): Promise<void>;
}

export async function startWebSocketServer(): Promise<TestWebSocketServer> {
  const user = 'arazzo-test';
  const password = 'ws-secret-3c9e';
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const http = createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = url.pathname.split('/').at(-1) ?? '';
    if (url.pathname.startsWith('/secure/') && request.headers.authorization !== expected)
      return refuse(socket, '401 Unauthorized', 'WWW-Authenticate: Basic realm="arazzo"\r\n');
    if (!['echo', 'handshake', 'once'].includes(route)) return refuse(socket, '404 Not Found', '');
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws, route, request, url));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    user,
    password,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

function serve(ws: WebSocket, route: string, request: IncomingMessage, url: URL): void {
  if (route === 'handshake') {
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => name.startsWith('x-')),
    );
    ws.send(
      JSON.stringify({ path: url.pathname, query: Object.fromEntries(url.searchParams), headers }),
    );
  }
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
    if (route === 'once') ws.close(1000);
  });
}

function refuse(socket: Duplex, status: string, extra: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`);
}
