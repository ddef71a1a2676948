import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from './cli.js';

/** An SDK client connected to a real `arazzo mcp` process, and every message both ways. */
export interface McpSession {
  readonly client: Client;
  /** Every JSON-RPC message the client sent or received, serialized. */
  readonly wire: string[];
  /** The server's stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Client capabilities (e.g. `{ elicitation: { form: {} } }`). */
  readonly capabilities?: ConstructorParameters<typeof Client>[1];
}

/** Records every message on a transport (set after `connect`, which installs `onmessage`). */
function tap(transport: Transport, wire: string[]): void {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    wire.push(JSON.stringify(message));
    return send(message, options);
  };
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    wire.push(JSON.stringify(message));
    receive?.(message, extra);
  };
}

/** `arazzo mcp <args>` over stdio, as an MCP client configuration starts it. */
export async function stdioSession(
  args: readonly string[],
  options: SessionOptions = {},
): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...args],
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'arazzo-test', version: '0' }, options.capabilities);
  const wire: string[] = [];
  await client.connect(transport);
  tap(transport, wire);
  return { client, wire, stderr: () => stderr, close: () => client.close() };
}

/** A running `arazzo mcp … --http 0` process and the URL it printed. */
export interface HttpProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
  stop(): Promise<number | null>;
}

export async function startHttpServer(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<HttpProcess> {
  const child = spawn(process.execPath, [BIN, 'mcp', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${stderr}`)), 20_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = / at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** An SDK client over Streamable HTTP, with extra request headers (a bearer token). */
export async function httpSession(
  url: string,
  headers: Record<string, string> = {},
  options: SessionOptions = {},
): Promise<McpSession> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'arazzo-test', version: '0' }, options.capabilities);
  const wire: string[] = [];
  await client.connect(transport);
  tap(transport, wire);
  return { client, wire, stderr: () => '', close: () => client.close() };
}
