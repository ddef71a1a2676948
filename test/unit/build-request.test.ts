import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest } from '../../src/http/build-request.js';
import { selectServer } from '../../src/http/select-server.js';
import type { OperationRef } from '../../src/sources/operations.js';
import type { OpenApiDocument } from '../../src/sources/openapi-types.js';
import { ArazzoError } from '../../src/errors.js';

function operation(
  overrides: Partial<OperationRef> = {},
  document: OpenApiDocument = {},
): OperationRef {
  return {
    sourceName: 'api',
    sourceUrl: 'https://api.example.com/openapi.yaml',
    document,
    path: '/pets/{petId}/toys',
    method: 'post',
    pathItem: {},
    operation: { requestBody: { content: { 'application/json': {} } } },
    ...overrides,
  };
}

test('path, query, header and cookie parameters land where they belong', () => {
  const { request, view } = buildRequest({
    operation: operation(),
    serverUrl: 'https://api.example.com/v1',
    parameters: [
      { name: 'petId', in: 'path', value: 'a b/c' },
      { name: 'tag', in: 'query', value: ['x', 'y'] },
      { name: 'limit', in: 'query', value: 5 },
      { name: 'X-Trace', in: 'header', value: 'abc' },
      { name: 'session', in: 'cookie', value: 's 1' },
      { name: 'lang', in: 'cookie', value: 'en' },
    ],
    body: { contentType: undefined, value: { name: 'ball', is_new: true } },
  });
  assert.equal(request.url, 'https://api.example.com/v1/pets/a%20b%2Fc/toys?tag=x&tag=y&limit=5');
  assert.equal(request.method, 'POST');
  assert.equal(request.headers['X-Trace'], 'abc');
  assert.equal(request.headers['Cookie'], 'session=s%201; lang=en');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.body, '{"name":"ball","is_new":true}');
  assert.deepEqual(view.request.path, { petId: 'a b/c' });
  assert.equal(view.request.headers['x-trace'], 'abc');
  assert.deepEqual(view.request.body, { name: 'ball', is_new: true });
});

test('a JSON-text payload is sent as written; a form payload is urlencoded', () => {
  const json = buildRequest({
    operation: operation(),
    serverUrl: 'http://h',
    parameters: [{ name: 'petId', in: 'path', value: 1 }],
    body: { contentType: 'application/json', value: '{"quantity": 5}' },
  });
  assert.equal(json.request.body, '{"quantity": 5}');
  const form = buildRequest({
    operation: operation(),
    serverUrl: 'http://h',
    parameters: [{ name: 'petId', in: 'path', value: 1 }],
    body: {
      contentType: 'application/x-www-form-urlencoded',
      value: { grant_type: 'client credentials', n: 2 },
    },
  });
  assert.equal(form.request.body, 'grant_type=client+credentials&n=2');
  assert.equal(form.request.headers['content-type'], 'application/x-www-form-urlencoded');
});

test('a header parameter replaces one of the same name in any case', () => {
  const { request } = buildRequest({
    operation: operation({ method: 'get', path: '/x' }),
    serverUrl: 'http://h',
    parameters: [
      { name: 'authorization', in: 'header', value: 'a' },
      { name: 'Authorization', in: 'header', value: 'b' },
    ],
  });
  assert.deepEqual(request.headers, { Authorization: 'b' });
});

test('a path parameter without a value is an error before sending', () => {
  assert.throws(
    () => buildRequest({ operation: operation(), serverUrl: 'http://h', parameters: [] }),
    (e: unknown) =>
      e instanceof ArazzoError && e.code === 'REQUEST_INVALID' && /petId/.test(e.message),
  );
});

const serverRows: { name: string; ref: OperationRef; override?: string; url: string }[] = [
  {
    name: 'override wins',
    ref: operation({}, { servers: [{ url: 'https://a' }] }),
    override: 'http://127.0.0.1:1/',
    url: 'http://127.0.0.1:1',
  },
  {
    name: 'operation servers before path and document',
    ref: operation(
      {
        operation: { servers: [{ url: 'https://op' }] },
        pathItem: { servers: [{ url: 'https://path' }] },
      },
      { servers: [{ url: 'https://doc' }] },
    ),
    url: 'https://op',
  },
  {
    name: 'path servers before document',
    ref: operation(
      { pathItem: { servers: [{ url: 'https://path' }] } },
      { servers: [{ url: 'https://doc' }] },
    ),
    url: 'https://path',
  },
  {
    name: 'variables take their defaults',
    ref: operation(
      {},
      {
        servers: [
          { url: 'https://{crewName}.crewai.com', variables: { crewName: { default: 'demo' } } },
        ],
      },
    ),
    url: 'https://demo.crewai.com',
  },
  {
    name: 'relative URL resolves against the description',
    ref: operation({}, { servers: [{ url: '/v2' }] }),
    url: 'https://api.example.com/v2',
  },
  {
    name: 'Swagger 2.0 host/basePath',
    ref: operation({}, { host: 'petstore.io', basePath: '/v1', schemes: ['http'] }),
    url: 'http://petstore.io/v1',
  },
];
for (const row of serverRows) {
  test(`server selection: ${row.name}`, () =>
    assert.equal(selectServer(row.ref, row.override), row.url));
}

test('no server and no override is a clear error naming --server', () => {
  assert.throws(
    () => selectServer(operation(), undefined),
    (e: unknown) =>
      e instanceof ArazzoError && e.code === 'SERVER_UNRESOLVED' && /--server api=/.test(e.message),
  );
});
