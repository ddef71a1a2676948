/** Shared helpers for the request/response tests: operations, fixtures, a local HTTP server. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OperationRef } from '../../src/sources/operations.js';
import type { OpenApiDocument, OpenApiOperation } from '../../src/sources/openapi-types.js';
import { operationAt } from '../../src/sources/operations.js';

/** An operation with sensible defaults; `document` defaults to an OAS 3.1 document. */
export function operation(
  overrides: Partial<Omit<OperationRef, 'operation'>> & { operation?: OpenApiOperation } = {},
  document: OpenApiDocument = { openapi: '3.1.0' },
): OperationRef {
  return {
    sourceName: 'api',
    sourceUrl: 'https://api.example.com/openapi.yaml',
    document,
    path: '/things',
    method: 'get',
    pathItem: {},
    operation: {},
    ...overrides,
  };
}

/** A fixture under test/fixtures/http, dereferenced as the source loader does. */
export async function loadFixture(name: string): Promise<OpenApiDocument> {
  // Compiled tests live in dist/test/http; fixtures stay in the source tree.
  const path = fileURLToPath(new URL(`../../../test/fixtures/http/${name}`, import.meta.url));
  return (await SwaggerParser.dereference(path, {
    dereference: { circular: 'ignore' },
  })) as OpenApiDocument;
}

/** The operation at `/paths/<path>/<method>` of a fixture document. */
export function fixtureOperation(
  document: OpenApiDocument,
  path: string,
  method: string,
): OperationRef {
  const found = operationAt('api', 'https://api.example.com/openapi.yaml', document, [
    'paths',
    path,
    method,
  ]);
  if (found === undefined) throw new Error(`no operation ${method} ${path} in the fixture`);
  return found;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export interface TestServer {
  readonly url: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 that records every request and answers with `handler`. */
export async function startServer(
  handler: (request: ReceivedRequest, response: ServerResponse) => void,
): Promise<TestServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(request);
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export const SEND = {
  signal: new AbortController().signal,
  timeoutMs: 5000,
  maxBodyBytes: 1024 * 1024,
};
