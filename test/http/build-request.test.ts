import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormData } from 'undici';
import { buildRequest, type RequestPlan } from '../../src/http/build-request.js';
import { selectServer } from '../../src/http/select-server.js';
import type { OperationRef } from '../../src/sources/operations.js';
import type { OpenApiDocument, OpenApiParameter } from '../../src/sources/openapi-types.js';
import { ArazzoError } from '../../src/errors.js';
import { operation as op } from './helpers.js';

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

// ---------------------------------------------------------------------------------------------
// Required parameters and bodies.

const REQUIRED_GET = op({
  path: '/pets',
  pathItem: { parameters: [{ name: 'X-Tenant', in: 'header', required: true }] },
  operation: {
    parameters: [
      { name: 'limit', in: 'query', required: true },
      { name: 'session', in: 'cookie', required: true },
      { name: 'page', in: 'query' },
    ],
  },
});

const requiredRows: readonly {
  readonly name: string;
  readonly plan: Partial<RequestPlan>;
  readonly error?: RegExp;
}[] = [
  {
    name: 'all given',
    plan: {
      parameters: [
        { name: 'limit', in: 'query', value: 5 },
        { name: 'session', in: 'cookie', value: 's' },
        { name: 'x-tenant', in: 'header', value: 't' },
      ],
    },
  },
  {
    name: 'a required query parameter left unset',
    plan: {
      parameters: [
        { name: 'session', in: 'cookie', value: 's' },
        { name: 'X-Tenant', in: 'header', value: 't' },
      ],
    },
    error: /^required query parameter "limit" of GET \/pets has no value$/,
  },
  {
    name: 'null is no value',
    plan: {
      parameters: [
        { name: 'limit', in: 'query', value: null },
        { name: 'session', in: 'cookie', value: 's' },
        { name: 'X-Tenant', in: 'header', value: 't' },
      ],
    },
    error: /required query parameter "limit"/,
  },
  {
    name: 'a required path-item header left unset',
    plan: {
      parameters: [
        { name: 'limit', in: 'query', value: 5 },
        { name: 'session', in: 'cookie', value: 's' },
      ],
    },
    error: /required header parameter "X-Tenant"/,
  },
  {
    name: 'a --header supplies a required header',
    plan: {
      parameters: [
        { name: 'limit', in: 'query', value: 5 },
        { name: 'session', in: 'cookie', value: 's' },
      ],
      defaultHeaders: { 'x-tenant': 'from-cli' },
    },
  },
  {
    name: 'authentication supplies a required query apiKey',
    plan: {
      parameters: [
        { name: 'session', in: 'cookie', value: 's' },
        { name: 'X-Tenant', in: 'header', value: 't' },
      ],
      security: { headers: {}, query: [['limit', '9']], cookies: [], schemes: ['key'] },
    },
  },
  {
    name: 'authentication supplies a required cookie',
    plan: {
      parameters: [
        { name: 'limit', in: 'query', value: 5 },
        { name: 'X-Tenant', in: 'header', value: 't' },
      ],
      security: { headers: {}, query: [], cookies: [['session', 'k']], schemes: ['key'] },
    },
  },
];

for (const row of requiredRows) {
  test(`required parameters: ${row.name}`, () => {
    const build = () =>
      buildRequest({ operation: REQUIRED_GET, serverUrl: 'http://h', parameters: [], ...row.plan });
    if (row.error === undefined) {
      assert.doesNotThrow(build);
    } else {
      assert.throws(
        build,
        (e: unknown) =>
          e instanceof ArazzoError && e.code === 'REQUEST_INVALID' && row.error!.test(e.message),
      );
    }
  });
}

test('a required request body without payload is an error; with one it is sent', () => {
  const post = op({
    method: 'post',
    operation: { requestBody: { required: true, content: { 'application/json': {} } } },
  });
  assert.throws(
    () => buildRequest({ operation: post, serverUrl: 'http://h', parameters: [] }),
    /the request body of POST \/things is required, but the step gives no payload/,
  );
  assert.throws(
    () =>
      buildRequest({
        operation: post,
        serverUrl: 'http://h',
        parameters: [],
        body: { contentType: undefined, value: undefined },
      }),
    /is required/,
  );
  const { request } = buildRequest({
    operation: post,
    serverUrl: 'http://h',
    parameters: [],
    body: { contentType: undefined, value: { a: 1 } },
  });
  assert.equal(request.body, '{"a":1}');
});

test('Swagger 2.0: a required body parameter and required formData fields', () => {
  const document = { swagger: '2.0' };
  const withBody = op(
    { method: 'post', operation: { parameters: [{ name: 'pet', in: 'body', required: true }] } },
    document,
  );
  assert.throws(
    () => buildRequest({ operation: withBody, serverUrl: 'http://h', parameters: [] }),
    /request body of POST \/things is required/,
  );
  const withForm = op(
    {
      method: 'post',
      operation: {
        consumes: ['application/x-www-form-urlencoded'],
        parameters: [
          { name: 'name', in: 'formData', required: true },
          {
            name: 'tags',
            in: 'formData',
            type: 'array',
            collectionFormat: 'pipes',
          } as OpenApiParameter,
        ],
      },
    },
    document,
  );
  assert.throws(
    () =>
      buildRequest({
        operation: withForm,
        serverUrl: 'http://h',
        parameters: [],
        body: { contentType: undefined, value: { tags: ['a'] } },
      }),
    /required form field "name" of POST \/things has no value/,
  );
  const { request } = buildRequest({
    operation: withForm,
    serverUrl: 'http://h',
    parameters: [],
    body: { contentType: undefined, value: { name: 'Rex', tags: ['a', 'b'] } },
  });
  assert.equal(request.body, 'name=Rex&tags=a%7Cb');
  assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
});

// ---------------------------------------------------------------------------------------------
// Headers: precedence and validity.

test('header precedence: --header < authentication < step parameter; Content-Type only if unset', () => {
  const { request, view } = buildRequest({
    operation: op({
      method: 'post',
      operation: { requestBody: { content: { 'application/json': {} } } },
    }),
    serverUrl: 'http://h',
    parameters: [
      { name: 'authorization', in: 'header', value: 'Bearer from-step' },
      { name: 'Content-Type', in: 'header', value: 'application/merge-patch+json' },
    ],
    defaultHeaders: { Authorization: 'Bearer from-cli', 'X-Client': 'cli', 'X-Api-Key': 'cli-key' },
    security: {
      headers: { Authorization: 'Bearer from-auth', 'X-Api-Key': 'auth-key' },
      query: [],
      cookies: [],
      schemes: ['s'],
    },
    body: { contentType: undefined, value: { a: 1 } },
  });
  assert.deepEqual(request.headers, {
    'X-Client': 'cli',
    'X-Api-Key': 'auth-key',
    authorization: 'Bearer from-step',
    'Content-Type': 'application/merge-patch+json',
  });
  assert.equal(view.request.headers['authorization'], 'Bearer from-step');
});

test('authentication adds query and cookie credentials unless the step sets the same name', () => {
  const { request, view } = buildRequest({
    operation: op(),
    serverUrl: 'http://h',
    parameters: [
      { name: 'q', in: 'query', value: 'x' },
      { name: 'token', in: 'cookie', value: 'mine' },
      { name: 'Cookie', in: 'header', value: 'pre=1' },
    ],
    security: {
      headers: {},
      query: [
        ['api_key', 'k 1'],
        ['q', 'auth'],
      ],
      cookies: [
        ['token', 'auth'],
        ['sid', 's'],
      ],
      schemes: ['k'],
    },
  });
  assert.equal(request.url, 'http://h/things?q=x&api_key=k%201');
  assert.equal(request.headers['Cookie'], 'pre=1; token=mine; sid=s');
  assert.equal(view.request.query['api_key'], 'k 1');
});

test('a header value with a line break is refused before sending', () => {
  assert.throws(
    () =>
      buildRequest({
        operation: op(),
        serverUrl: 'http://h',
        parameters: [{ name: 'X-A', in: 'header', value: 'a\r\nInjected: 1' }],
      }),
    (e: unknown) =>
      e instanceof ArazzoError && e.code === 'REQUEST_INVALID' && /line break/.test(e.message),
  );
  assert.throws(
    () =>
      buildRequest({
        operation: op(),
        serverUrl: 'http://h',
        parameters: [{ name: 'Bad Name', in: 'header', value: 'a' }],
      }),
    /not a valid header name/,
  );
});

// ---------------------------------------------------------------------------------------------
// Bodies through buildRequest.

test('the content type comes from the step, else the operation (JSON preferred), else the value', () => {
  const rows: readonly [OperationRef, string | undefined, unknown, string][] = [
    [
      op({
        operation: { requestBody: { content: { 'application/xml': {}, 'application/json': {} } } },
      }),
      undefined,
      { a: 1 },
      'application/json',
    ],
    [
      op({ operation: { requestBody: { content: { 'text/csv': {} } } } }),
      undefined,
      'a,b',
      'text/csv',
    ],
    [
      op({ operation: { requestBody: { content: { 'application/json': {} } } } }),
      'application/vnd.x+json',
      { a: 1 },
      'application/vnd.x+json',
    ],
    [
      op({ operation: { consumes: ['application/xml'] } }, { swagger: '2.0' }),
      undefined,
      '<a/>',
      'application/xml',
    ],
    [
      op({ operation: { requestBody: { content: { '*/*': {} } } } }),
      undefined,
      'plain words',
      'text/plain',
    ],
    [
      op({ operation: { requestBody: { content: { '*/*': {} } } } }),
      undefined,
      new Uint8Array([1]),
      'application/octet-stream',
    ],
    [op(), undefined, { a: 1 }, 'application/json'],
    [op(), undefined, '{"a":1}', 'application/json'],
  ];
  for (const [operationRef, contentType, value, expected] of rows) {
    const { request } = buildRequest({
      operation: { ...operationRef, method: 'post' },
      serverUrl: 'http://h',
      parameters: [],
      body: { contentType, value },
    });
    assert.equal(
      request.headers['content-type'],
      expected,
      `${String(contentType)} / ${JSON.stringify(value)}`,
    );
  }
});

test('a JSON template string is sent as written and $request.body sees the parsed value', () => {
  const { request, view } = buildRequest({
    operation: op({ method: 'post' }),
    serverUrl: 'http://h',
    parameters: [],
    body: { contentType: 'application/json', value: '{"quantity": 5}' },
  });
  assert.equal(request.body, '{"quantity": 5}');
  assert.deepEqual(view.request.body, { quantity: 5 });
});

test('a JSON string payload that is not JSON text is an error (SPEC-NOTES §7.3)', () => {
  assert.throws(
    () =>
      buildRequest({
        operation: op({ method: 'post' }),
        serverUrl: 'http://h',
        parameters: [],
        body: { contentType: 'application/json', value: '{"customer": "{"a":1}"}' },
      }),
    (e: unknown) =>
      e instanceof ArazzoError && e.code === 'REQUEST_INVALID' && /not JSON text/.test(e.message),
  );
});

test('replacements given with the plan apply before serialization (JSON Pointer, XPath)', () => {
  const json = buildRequest({
    operation: op({ method: 'post' }),
    serverUrl: 'http://h',
    parameters: [],
    body: {
      contentType: 'application/json',
      value: { order: { qty: 1 }, items: [] },
      replacements: [
        { target: '/order/qty', value: 5 },
        { target: '/items/-', value: { sku: 'a' } },
      ],
    },
  });
  assert.equal(json.request.body, '{"order":{"qty":5},"items":[{"sku":"a"}]}');
  assert.deepEqual(json.view.request.body, { order: { qty: 5 }, items: [{ sku: 'a' }] });
  const xml = buildRequest({
    operation: op({ method: 'post' }),
    serverUrl: 'http://h',
    parameters: [],
    body: {
      contentType: 'application/xml',
      value: '<order><qty>1</qty></order>',
      replacements: [{ target: '/order/qty', value: 7 }],
    },
  });
  assert.equal(xml.request.body, '<order><qty>7</qty></order>');
});

test('a multipart object becomes a FormData; undici sets the boundary, a boundary-less header is dropped', () => {
  const { request, view, warnings } = buildRequest({
    operation: op({
      method: 'post',
      operation: { requestBody: { content: { 'multipart/form-data': {} } } },
    }),
    serverUrl: 'http://h',
    parameters: [{ name: 'Content-Type', in: 'header', value: 'multipart/form-data' }],
    body: { contentType: undefined, value: { name: 'Rex', photo: new Uint8Array([1, 2]) } },
  });
  assert.ok(request.body instanceof FormData);
  assert.equal(request.headers['Content-Type'], undefined);
  assert.equal(request.headers['content-type'], undefined);
  assert.equal(view.request.headers['content-type'], 'multipart/form-data');
  assert.match(warnings[0] ?? '', /Content-Type header was dropped/);
});
