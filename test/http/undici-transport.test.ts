import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ArazzoError } from '../../src/errors.js';
import { buildRequest } from '../../src/http/build-request.js';
import { requestSignature } from '../../src/http/request-signature.js';
import { UndiciTransport } from '../../src/http/undici-transport.js';
import { operation, SEND, startServer, type TestServer } from './helpers.js';

let server: TestServer;
const transport = new UndiciTransport();

before(async () => {
  server = await startServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    switch (path) {
      case '/redirect':
        response.writeHead(302, { location: '/elsewhere' }).end();
        return;
      case '/big-declared':
        response
          .writeHead(200, { 'content-type': 'text/plain', 'content-length': '2000' })
          .end('x'.repeat(2000));
        return;
      case '/big-streamed':
        response.writeHead(200, { 'content-type': 'text/plain' });
        for (let index = 0; index < 20; index += 1) response.write('y'.repeat(100));
        response.end();
        return;
      case '/latin1':
        response
          .writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' })
          .end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        return;
      case '/slow':
        setTimeout(() => response.writeHead(200).end('late'), 300);
        return;
      case '/json':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      default:
        // Echo what arrived.
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            method: request.method,
            contentType: request.headers['content-type'] ?? null,
            contentLength: request.headers['content-length'] ?? null,
            body: request.body.toString('latin1'),
          }),
        );
    }
  });
});

after(async () => {
  await transport.close();
  await server.close();
});

test('a redirect is not followed: the 302 is the response', async () => {
  const before = server.received.length;
  const response = await transport.send(
    { method: 'GET', url: `${server.url}/redirect`, headers: {} },
    SEND,
  );
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers['location'], '/elsewhere');
  assert.equal(server.received.length - before, 1);
});

for (const path of ['/big-declared', '/big-streamed']) {
  test(`a body over the cap ends the request with HTTP_BODY_TOO_LARGE (${path})`, async () => {
    await assert.rejects(
      transport.send(
        { method: 'GET', url: `${server.url}${path}`, headers: {} },
        { ...SEND, maxBodyBytes: 1000 },
      ),
      (e: unknown) =>
        e instanceof ArazzoError &&
        e.code === 'HTTP_BODY_TOO_LARGE' &&
        /response body exceeds 1000 bytes \(raise --max-response-size\)/.test(e.message),
    );
  });
}

test('a HEAD response announcing a large Content-Length is not over the cap', async () => {
  const response = await transport.send(
    { method: 'HEAD', url: `${server.url}/big-declared`, headers: {} },
    { ...SEND, maxBodyBytes: 1000 },
  );
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-length'], '2000');
  assert.equal(response.bodyText, '');
});

test('a body at the cap is read', async () => {
  const response = await transport.send(
    { method: 'GET', url: `${server.url}/big-declared`, headers: {} },
    { ...SEND, maxBodyBytes: 2000 },
  );
  assert.equal(response.bodyText.length, 2000);
});

test('responses are decoded by charset and parsed by media type', async () => {
  const latin1 = await transport.send(
    { method: 'GET', url: `${server.url}/latin1`, headers: {} },
    SEND,
  );
  assert.equal(latin1.body, 'café');
  const json = await transport.send(
    { method: 'GET', url: `${server.url}/json`, headers: {} },
    SEND,
  );
  assert.deepEqual(json.body, { ok: true });
});

test('exchanges after a timeout, an abort and alongside each other are unaffected by them', async () => {
  // The transport reuses the controllers of finished exchanges: an aborted one must never be
  // reused, and concurrent exchanges must not share one.
  const json = { method: 'GET', url: `${server.url}/json`, headers: {} } as const;
  const slow = { method: 'GET', url: `${server.url}/slow`, headers: {} } as const;
  await assert.rejects(transport.send(slow, { ...SEND, timeoutMs: 50 }), { code: 'HTTP_TIMEOUT' });
  assert.deepEqual((await transport.send(json, SEND)).body, { ok: true });
  const run = new AbortController();
  const aborted = transport.send(slow, { ...SEND, signal: run.signal });
  setTimeout(() => run.abort(), 20);
  await assert.rejects(aborted, { code: 'ABORTED' });
  const concurrent = await Promise.allSettled([
    transport.send(slow, { ...SEND, timeoutMs: 50 }),
    ...Array.from({ length: 20 }, () => transport.send(json, SEND)),
    transport.send(slow, SEND),
  ]);
  assert.equal(concurrent[0]?.status, 'rejected');
  for (const outcome of concurrent.slice(1)) assert.equal(outcome.status, 'fulfilled');
});

test('one abort of the caller’s signal ends every exchange in flight on it, and no other', async () => {
  const json = { method: 'GET', url: `${server.url}/json`, headers: {} } as const;
  const slow = { method: 'GET', url: `${server.url}/slow`, headers: {} } as const;
  const run = new AbortController();
  const other = new AbortController();
  const onRun = [1, 2].map(() => transport.send(slow, { ...SEND, signal: run.signal }));
  const onOther = transport.send(slow, { ...SEND, signal: other.signal });
  setTimeout(() => run.abort(), 20);
  for (const exchange of onRun) await assert.rejects(exchange, { code: 'ABORTED' });
  assert.equal((await onOther).bodyText, 'late');
  // A signal that is already aborted sends nothing.
  await assert.rejects(transport.send(json, { ...SEND, signal: run.signal }), {
    code: 'ABORTED',
  });
});

test('a byte body is sent as its bytes', async () => {
  const response = await transport.send(
    {
      method: 'POST',
      url: `${server.url}/echo`,
      headers: { 'content-type': 'application/octet-stream' },
      body: Uint8Array.from([0, 1, 254, 255]),
    },
    SEND,
  );
  assert.deepEqual(response.body, {
    method: 'POST',
    contentType: 'application/octet-stream',
    contentLength: '4',
    body: '\u0000\u0001\u00fe\u00ff',
  });
});

test('a multipart payload arrives as RFC 7578 form data with undici’s boundary', async () => {
  const { request } = buildRequest({
    operation: operation({
      method: 'post',
      path: '/upload',
      operation: { requestBody: { content: { 'multipart/form-data': {} } } },
    }),
    serverUrl: server.url,
    parameters: [],
    body: { contentType: undefined, value: { name: 'Rex', file: new Uint8Array([65, 66]) } },
  });
  const response = await transport.send(request, SEND);
  const echoed = response.body as { contentType: string; body: string };
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(echoed.contentType)?.[1];
  assert.ok(boundary, echoed.contentType);
  assert.equal(
    echoed.body,
    `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nRex\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\nContent-Type: application/octet-stream\r\n\r\nAB\r\n` +
      `--${boundary}--\r\n`,
  );
});

test('request signatures tell bodies apart whatever their type', () => {
  const base = { method: 'POST', url: 'http://h/x', headers: {} };
  assert.notEqual(
    requestSignature({ ...base, body: Uint8Array.from([1]) }),
    requestSignature({ ...base, body: Uint8Array.from([2]) }),
  );
  assert.equal(requestSignature({ ...base, body: 'a' }), requestSignature({ ...base, body: 'a' }));
  const form = (value: string) =>
    buildRequest({
      operation: operation({ method: 'post' }),
      serverUrl: 'http://h',
      parameters: [],
      body: { contentType: 'multipart/form-data', value: { a: value } },
    }).request;
  assert.notEqual(requestSignature(form('1')), requestSignature(form('2')));
  assert.equal(requestSignature(form('1')), requestSignature(form('1')));
});
