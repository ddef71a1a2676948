import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkResponse,
  compiledValidatorCount,
  responseKey,
  type CheckedResponse,
  type ContractIssue,
} from '../../src/http/check-response.js';
import type { OpenApiDocument } from '../../src/sources/openapi-types.js';
import { fixtureOperation, loadFixture, operation } from './helpers.js';

let oas30: OpenApiDocument;
let oas31: OpenApiDocument;
let swagger20: OpenApiDocument;

before(async () => {
  [oas30, oas31, swagger20] = await Promise.all([
    loadFixture('contract-3.0.yaml'),
    loadFixture('contract-3.1.yaml'),
    loadFixture('contract-2.0.json'),
  ]);
});

function response(
  statusCode: number,
  contentType: string | undefined,
  body: unknown,
): CheckedResponse {
  const bodyText = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    statusCode,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    bodyText,
    body,
  };
}

const PET = { id: 1, name: 'Rex' };

const rows: readonly {
  readonly name: string;
  readonly document: () => OpenApiDocument;
  readonly path: string;
  readonly method: string;
  readonly response: CheckedResponse;
  /** Issue kinds and message fragments; [] = conforming. */
  readonly issues: readonly (readonly [ContractIssue['kind'], RegExp])[];
}[] = [
  // Status codes: exact, range (any case), default.
  {
    name: 'a described exact status',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', PET),
    issues: [],
  },
  {
    name: 'a 4XX range covers 400',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(400, 'application/problem+json', { title: 'bad' }),
    issues: [],
  },
  {
    name: 'the exact 404 wins over 4XX',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(404, 'application/problem+json', { title: 'x' }),
    issues: [
      [
        'content-type',
        /content type application\/problem\+json is not described for status 404 \(described: text\/plain\)/,
      ],
    ],
  },
  {
    name: 'an undescribed status',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(500, 'application/json', {}),
    issues: [
      [
        'status',
        /GET \/pets\/\{id\}: status 500 is not described \(described: 200, 204, 404, 4XX\)/,
      ],
    ],
  },
  {
    name: 'a 302 is a status like any other',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(302, undefined, undefined),
    issues: [['status', /status 302 is not described/]],
  },
  {
    name: 'default covers everything',
    document: () => oas30,
    path: '/anything',
    method: 'get',
    response: response(418, 'image/png', 'x'),
    issues: [],
  },
  {
    name: 'a lower-case 2xx range key',
    document: () => oas31,
    path: '/orders',
    method: 'post',
    response: response(201, 'application/json', { id: 1, note: null }),
    issues: [],
  },
  // Content types.
  {
    name: 'a body for a response described without content',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(204, 'text/plain', 'x'),
    issues: [
      [
        'content-type',
        /response 204 is described without content, but status 204 came with a body \(text\/plain\)/,
      ],
    ],
  },
  {
    name: 'no body, no content check',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(204, undefined, undefined),
    issues: [],
  },
  {
    name: 'an undescribed content type',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'text/html', '<p>'),
    issues: [
      [
        'content-type',
        /content type text\/html is not described for status 200 \(described: application\/json\)/,
      ],
    ],
  },
  {
    name: 'a missing Content-Type',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, undefined, '{}'),
    issues: [['content-type', /the response has no Content-Type/]],
  },
  {
    name: 'content-type parameters and case are ignored',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'Application/JSON; charset=utf-8', PET),
    issues: [],
  },
  {
    name: 'a text/* range',
    document: () => oas30,
    path: '/texts',
    method: 'get',
    response: response(200, 'text/csv', 'a,b'),
    issues: [],
  },
  {
    name: 'a 5XX described without content, with an empty body',
    document: () => oas31,
    path: '/orders',
    method: 'post',
    response: response(503, undefined, undefined),
    issues: [],
  },
  // Schemas: OAS 3.0 dialect.
  {
    name: 'a body that fails the schema',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', { id: 'one', name: 'Rex' }),
    issues: [
      ['schema', /does not match the 200 application\/json schema: body\/id must be integer/],
    ],
  },
  {
    name: 'nullable: true allows null',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', { ...PET, tag: null, status: null }),
    issues: [],
  },
  {
    name: 'nullable enum still checks values',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', { ...PET, status: 'lost' }),
    issues: [['schema', /body\/status must be equal to one of the allowed values/]],
  },
  {
    name: 'boolean exclusiveMinimum (OAS 3.0)',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', { ...PET, weight: 0 }),
    issues: [['schema', /body\/weight must be > 0/]],
  },
  {
    name: 'int32 format',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', { ...PET, id: 2 ** 31 }),
    issues: [['schema', /body\/id must match format "int32"/]],
  },
  {
    name: 'date-time format',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', { ...PET, created: 'yesterday' }),
    issues: [['schema', /body\/created must match format "date-time"/]],
  },
  {
    name: 'a required writeOnly property is not required in a response',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', PET),
    issues: [],
  },
  {
    name: 'a +json range body against its schema',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(422, 'application/problem+json', { detail: 'x' }),
    issues: [['schema', /body must have required property 'title'/]],
  },
  {
    name: 'malformed JSON',
    document: () => oas30,
    path: '/pets/{id}',
    method: 'get',
    response: response(200, 'application/json', '{"id":'),
    issues: [['schema', /the application\/json body of status 200 is not valid JSON/]],
  },
  {
    name: 'a recursive schema (circular $ref) validates deep',
    document: () => oas30,
    path: '/tree',
    method: 'get',
    response: response(200, 'application/json', {
      value: 1,
      children: [{ value: 2, children: [{ value: 'x' }] }],
    }),
    issues: [['schema', /body\/children\/0\/children\/0\/value must be integer/]],
  },
  {
    name: 'a recursive schema that conforms',
    document: () => oas30,
    path: '/tree',
    method: 'get',
    response: response(200, 'application/json', {
      value: 1,
      children: [{ value: 2, children: [] }],
    }),
    issues: [],
  },
  // OAS 3.1 (JSON Schema 2020-12).
  {
    name: '3.1: type arrays with null',
    document: () => oas31,
    path: '/orders',
    method: 'post',
    response: response(200, 'application/json', { id: 1, note: 5 }),
    issues: [['schema', /body\/note must be string,null/]],
  },
  {
    name: '3.1: prefixItems',
    document: () => oas31,
    path: '/orders',
    method: 'post',
    response: response(200, 'application/json', { id: 1, note: 'n', lines: [1, 2] }),
    issues: [['schema', /body\/lines\/0 must be string/]],
  },
  {
    name: '3.1: $ref with a sibling keyword',
    document: () => oas31,
    path: '/orders',
    method: 'post',
    response: response(200, 'application/json', { id: 1, note: 'n', discount: 60 }),
    issues: [['schema', /body\/discount must be <= 50/]],
  },
  // Swagger 2.0.
  {
    name: 'Swagger 2.0: conforming',
    document: () => swagger20,
    path: '/users/{id}',
    method: 'get',
    response: response(200, 'application/json', { id: 'u', nick: null, age: 19 }),
    issues: [],
  },
  {
    name: 'Swagger 2.0: schema and x-nullable',
    document: () => swagger20,
    path: '/users/{id}',
    method: 'get',
    response: response(200, 'application/json', { id: 'u', age: 18 }),
    issues: [['schema', /body\/age must be > 18/]],
  },
  {
    name: 'Swagger 2.0: produces',
    document: () => swagger20,
    path: '/users/{id}',
    method: 'get',
    response: response(200, 'application/xml', '<u/>'),
    issues: [
      [
        'content-type',
        /content type application\/xml is not described for status 200 \(described: application\/json\)/,
      ],
    ],
  },
  {
    name: 'Swagger 2.0: no schema, no checks',
    document: () => swagger20,
    path: '/users/{id}',
    method: 'get',
    response: response(404, 'text/html', 'gone'),
    issues: [],
  },
];

for (const row of rows) {
  test(`contract: ${row.name}`, () => {
    const issues = checkResponse(
      fixtureOperation(row.document(), row.path, row.method),
      row.response,
    );
    assert.equal(issues.length, row.issues.length, JSON.stringify(issues));
    row.issues.forEach(([kind, message], index) => {
      assert.equal(issues[index]?.kind, kind);
      assert.match(issues[index]?.message ?? '', message);
    });
  });
}

test('validators are compiled once per (operation, response, media type), never per step', () => {
  const found = fixtureOperation(oas30, '/pets/{id}', 'get');
  // A fresh operation object: nothing compiled for it yet.
  const getPet = { ...found, operation: structuredClone(found.operation) };
  assert.equal(compiledValidatorCount(getPet), 0);
  for (let index = 0; index < 5; index += 1) {
    assert.deepEqual(checkResponse(getPet, response(200, 'application/json', PET)), []);
  }
  assert.equal(compiledValidatorCount(getPet), 1);
  // Another OperationRef for the same operation object shares the cache.
  checkResponse({ ...getPet }, response(200, 'application/json', { id: 'x' }));
  assert.equal(compiledValidatorCount(getPet), 1);
  checkResponse(getPet, response(401, 'application/problem+json', { title: 't' }));
  checkResponse(getPet, response(409, 'application/problem+json', { title: 't' }));
  assert.equal(compiledValidatorCount(getPet), 2, '401 and 409 share the 4XX validator');
});

test('an operation that describes no responses is not checked', () => {
  assert.deepEqual(checkResponse(operation(), response(599, 'x/y', 'z')), []);
});

test('response keys: exact, then range, then default', () => {
  const rows: readonly [readonly string[], number, string | undefined][] = [
    [['200', '2XX', 'default'], 200, '200'],
    [['200', '2XX', 'default'], 201, '2XX'],
    [['200', '2XX', 'default'], 500, 'default'],
    [['2XX'], 299, '2XX'],
    [['2XX'], 300, undefined],
    [['1XX', '3XX', '4XX', '5XX'], 101, '1XX'],
    [['1XX', '3XX', '4XX', '5XX'], 302, '3XX'],
    [['4xx'], 404, '4xx'],
    [['200'], 2000, undefined],
  ];
  for (const [keys, status, expected] of rows)
    assert.equal(responseKey(keys, status), expected, `${status} in ${keys.join(',')}`);
});
