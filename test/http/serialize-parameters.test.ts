import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest } from '../../src/http/build-request.js';
import type { ParameterDefinition } from '../../src/http/parameter-definitions.js';
import {
  serializationRule,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
  type StyledLocation,
} from '../../src/http/serialize-parameters.js';
import { operation } from './helpers.js';

/** Serializes `value` for `location` the way buildRequest does, from a parameter definition. */
function serialize(
  location: StyledLocation,
  definition: Partial<ParameterDefinition> | undefined,
  value: unknown,
  swagger2 = false,
): string {
  const full =
    definition === undefined ? undefined : { name: 'color', in: location, ...definition };
  const { rule } = serializationRule(location, full, swagger2);
  switch (location) {
    case 'path':
      return serializePathParameter('color', value, rule);
    case 'header':
      return serializeHeaderParameter(value, rule);
    case 'query': {
      const pairs = serializeQueryParameter('color', value, rule);
      return `?${pairs.join('&')}`;
    }
    case 'cookie':
      return serializeCookieParameter('color', value, rule).join('; ');
  }
}

const EMPTY = '';
const STRING = 'blue';
const ARRAY = ['blue', 'black', 'brown'];
const OBJECT = { R: 100, G: 200, B: 150 };

/**
 * OAS 3.1.1 §Parameter Object "Style Examples", row by row: style, explode, then the cells for
 * empty, string, array and object (undefined = the table's "n/a", not tested).
 */
const STYLE_EXAMPLES: readonly (readonly [string, boolean, ...(string | undefined)[]])[] = [
  ['matrix', false, ';color', ';color=blue', ';color=blue,black,brown', ';color=R,100,G,200,B,150'],
  [
    'matrix',
    true,
    ';color',
    ';color=blue',
    ';color=blue;color=black;color=brown',
    ';R=100;G=200;B=150',
  ],
  ['label', false, '.', '.blue', '.blue,black,brown', '.R,100,G,200,B,150'],
  ['label', true, '.', '.blue', '.blue.black.brown', '.R=100.G=200.B=150'],
  ['simple', false, '', 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
  ['simple', true, '', 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
  ['form', false, '?color=', '?color=blue', '?color=blue,black,brown', '?color=R,100,G,200,B,150'],
  [
    'form',
    true,
    '?color=',
    '?color=blue',
    '?color=blue&color=black&color=brown',
    '?R=100&G=200&B=150',
  ],
  [
    'spaceDelimited',
    false,
    undefined,
    undefined,
    '?color=blue%20black%20brown',
    '?color=R%20100%20G%20200%20B%20150',
  ],
  ['spaceDelimited', true, undefined, undefined, undefined, undefined],
  [
    'pipeDelimited',
    false,
    undefined,
    undefined,
    '?color=blue%7Cblack%7Cbrown',
    '?color=R%7C100%7CG%7C200%7CB%7C150',
  ],
  ['pipeDelimited', true, undefined, undefined, undefined, undefined],
  ['deepObject', false, undefined, undefined, undefined, undefined],
  [
    'deepObject',
    true,
    undefined,
    undefined,
    undefined,
    '?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150',
  ],
];

const LOCATION: Readonly<Record<string, StyledLocation>> = {
  matrix: 'path',
  label: 'path',
  simple: 'path',
  form: 'query',
  spaceDelimited: 'query',
  pipeDelimited: 'query',
  deepObject: 'query',
};

const VALUES = [
  ['empty', EMPTY],
  ['string', STRING],
  ['array', ARRAY],
  ['object', OBJECT],
] as const;

for (const [style, explode, ...cells] of STYLE_EXAMPLES) {
  const location = LOCATION[style] ?? 'query';
  VALUES.forEach(([label, value], index) => {
    const expected = cells[index];
    if (expected === undefined) return;
    test(`OAS style example: ${style} explode=${explode} ${label} → ${expected || '(empty)'}`, () => {
      assert.equal(serialize(location, { style, explode }, value), expected);
    });
    if (style === 'simple') {
      test(`OAS style example: simple explode=${explode} ${label} in a header`, () => {
        assert.equal(serialize('header', { style, explode }, value), expected);
      });
    }
  });
}

const rows: readonly {
  readonly name: string;
  readonly location: StyledLocation;
  readonly definition?: Partial<ParameterDefinition>;
  readonly swagger2?: boolean;
  readonly value: unknown;
  readonly expected: string;
}[] = [
  // Defaults per `in` (OAS §Parameter Object `style`, `explode`): also for undefined parameters.
  {
    name: 'query default is form + explode',
    location: 'query',
    value: ARRAY,
    expected: '?color=blue&color=black&color=brown',
  },
  {
    name: 'query default explodes objects',
    location: 'query',
    value: OBJECT,
    expected: '?R=100&G=200&B=150',
  },
  { name: 'path default is simple', location: 'path', value: ARRAY, expected: 'blue,black,brown' },
  {
    name: 'header default is simple, not exploded',
    location: 'header',
    value: OBJECT,
    expected: 'R,100,G,200,B,150',
  },
  {
    name: 'cookie default is form + explode, one pair per value',
    location: 'cookie',
    value: ARRAY,
    expected: 'color=blue; color=black; color=brown',
  },
  {
    name: 'cookie form without explode',
    location: 'cookie',
    definition: { explode: false },
    value: ARRAY,
    expected: 'color=blue,black,brown',
  },
  {
    name: 'cookie values are percent-encoded',
    location: 'cookie',
    value: 'a b;c',
    expected: 'color=a%20b%3Bc',
  },
  {
    name: 'a style given without explode takes form → true',
    location: 'query',
    definition: { style: 'form' },
    value: ARRAY,
    expected: '?color=blue&color=black&color=brown',
  },
  {
    name: 'explode defaults to false for other styles',
    location: 'path',
    definition: { style: 'label' },
    value: ARRAY,
    expected: '.blue,black,brown',
  },
  // Percent-encoding (RFC 6570 / OAS Appendix E).
  {
    name: 'reserved characters are encoded in values',
    location: 'query',
    value: 'a/b:c?d[e]#f&g=h+i j',
    expected: '?color=a%2Fb%3Ac%3Fd%5Be%5D%23f%26g%3Dh%2Bi%20j',
  },
  {
    name: 'allowReserved keeps reserved characters but [ ] # & = + ',
    location: 'query',
    definition: { allowReserved: true },
    value: 'a/b:c?d[e]#f&g=h+i j',
    expected: '?color=a/b:c?d%5Be%5D%23f%26g%3Dh%2Bi%20j',
  },
  {
    name: 'allowReserved keeps percent-encoded triples',
    location: 'query',
    definition: { allowReserved: true },
    value: 'x%2By%zz',
    expected: '?color=x%2By%25zz',
  },
  {
    name: 'without allowReserved a % is encoded',
    location: 'query',
    value: 'x%2By',
    expected: '?color=x%252By',
  },
  {
    name: 'delimiters inside values are encoded, the delimiter is not',
    location: 'query',
    definition: { explode: false },
    value: ['red,green', 'blue'],
    expected: '?color=red%2Cgreen,blue',
  },
  {
    name: "RFC 3986 sub-delims !'()* are encoded",
    location: 'path',
    value: "it's (a)*!",
    expected: 'it%27s%20%28a%29%2A%21',
  },
  {
    name: 'non-ASCII is UTF-8 percent-encoded',
    location: 'path',
    value: 'ünï',
    expected: '%C3%BCn%C3%AF',
  },
  {
    name: 'headers are not percent-encoded',
    location: 'header',
    value: 'Bearer a b/c',
    expected: 'Bearer a b/c',
  },
  {
    name: 'numbers and booleans as text',
    location: 'query',
    definition: { explode: false },
    value: [1, 2.5, true],
    expected: '?color=1,2.5,true',
  },
  {
    name: 'nested values are JSON text',
    location: 'query',
    definition: { explode: false },
    value: [{ a: 1 }],
    expected: '?color=%7B%22a%22%3A1%7D',
  },
  // RFC 6570 §2.3 undefined values send nothing.
  { name: 'null sends nothing', location: 'query', value: null, expected: '?' },
  { name: 'an empty array sends nothing', location: 'query', value: [], expected: '?' },
  { name: 'an empty object sends nothing', location: 'query', value: {}, expected: '?' },
  // deepObject beyond the table (implementation-defined nesting).
  {
    name: 'deepObject nests brackets',
    location: 'query',
    definition: { style: 'deepObject', explode: true },
    value: { a: { b: 1 }, c: ['x', 'y'] },
    expected: '?color%5Ba%5D%5Bb%5D=1&color%5Bc%5D%5B0%5D=x&color%5Bc%5D%5B1%5D=y',
  },
  {
    name: 'deepObject with a primitive is a plain pair',
    location: 'query',
    definition: { style: 'deepObject', explode: true },
    value: 'blue',
    expected: '?color=blue',
  },
  // OAS Appendix C, "RFC6570-Equivalent Expansion" (one parameter at a time).
  {
    name: 'Appendix C: exploded formulas',
    location: 'query',
    value: { a: 'x+y', b: 'x/y', c: 'x^y' },
    expected: '?a=x%2By&b=x%2Fy&c=x%5Ey',
  },
  {
    name: 'Appendix C: exploded formulas with allowReserved',
    location: 'query',
    definition: { allowReserved: true },
    value: { a: 'x+y', b: 'x/y', c: 'x^y' },
    expected: '?a=x%2By&b=x/y&c=x%5Ey',
  },
  {
    name: 'Appendix C: words, spaceDelimited',
    location: 'query',
    definition: { style: 'spaceDelimited' },
    value: ['math', 'is', 'fun'],
    expected: '?color=math%20is%20fun',
  },
  // `content` parameters: the media type's serialization, then the location's encoding.
  {
    name: 'content application/json in query',
    location: 'query',
    definition: { content: { 'application/json': {} } },
    value: { lat: 1, long: 2 },
    expected: '?color=%7B%22lat%22%3A1%2C%22long%22%3A2%7D',
  },
  {
    name: 'content application/json in a header is raw JSON',
    location: 'header',
    definition: { content: { 'application/json': {} } },
    value: { lat: 1 },
    expected: '{"lat":1}',
  },
  {
    name: 'content text/plain takes strings as written',
    location: 'path',
    definition: { content: { 'text/plain': {} } },
    value: 'a b',
    expected: 'a%20b',
  },
  // Swagger 2.0 collectionFormat.
  {
    name: 'Swagger csv (default)',
    location: 'query',
    swagger2: true,
    definition: { type: 'array' },
    value: ARRAY,
    expected: '?color=blue,black,brown',
  },
  {
    name: 'Swagger ssv',
    location: 'query',
    swagger2: true,
    definition: { type: 'array', collectionFormat: 'ssv' },
    value: ARRAY,
    expected: '?color=blue%20black%20brown',
  },
  {
    name: 'Swagger tsv',
    location: 'query',
    swagger2: true,
    definition: { type: 'array', collectionFormat: 'tsv' },
    value: ARRAY,
    expected: '?color=blue%09black%09brown',
  },
  {
    name: 'Swagger pipes',
    location: 'query',
    swagger2: true,
    definition: { type: 'array', collectionFormat: 'pipes' },
    value: ARRAY,
    expected: '?color=blue%7Cblack%7Cbrown',
  },
  {
    name: 'Swagger multi',
    location: 'query',
    swagger2: true,
    definition: { type: 'array', collectionFormat: 'multi' },
    value: ARRAY,
    expected: '?color=blue&color=black&color=brown',
  },
  {
    name: 'Swagger pipes in a header are raw',
    location: 'header',
    swagger2: true,
    definition: { type: 'array', collectionFormat: 'pipes' },
    value: ARRAY,
    expected: 'blue|black|brown',
  },
  {
    name: 'Swagger csv in a path',
    location: 'path',
    swagger2: true,
    definition: { type: 'array' },
    value: ['a b', 'c'],
    expected: 'a%20b,c',
  },
  {
    name: 'Swagger multi outside query falls back to csv',
    location: 'header',
    swagger2: true,
    definition: { type: 'array', collectionFormat: 'multi' },
    value: ARRAY,
    expected: 'blue,black,brown',
  },
  {
    name: 'Swagger primitive',
    location: 'query',
    swagger2: true,
    definition: { type: 'integer' },
    value: 7,
    expected: '?color=7',
  },
];

for (const row of rows) {
  test(`parameter: ${row.name}`, () => {
    assert.equal(serialize(row.location, row.definition, row.value, row.swagger2), row.expected);
  });
}

test('a style OpenAPI does not allow for the location falls back to the default, with a warning', () => {
  const resolved = serializationRule(
    'path',
    { name: 'color', in: 'path', style: 'deepObject', explode: true },
    false,
  );
  assert.deepEqual(resolved.rule, {
    kind: 'style',
    style: 'simple',
    explode: false,
    allowReserved: false,
  });
  assert.match(resolved.warning ?? '', /deepObject.*not allow in path/);
});

test('an unknown Swagger collectionFormat is sent as csv, with a warning', () => {
  const resolved = serializationRule(
    'query',
    { name: 'c', in: 'query', collectionFormat: 'weird' },
    true,
  );
  assert.deepEqual(resolved.rule, { kind: 'collection', format: 'csv' });
  assert.match(resolved.warning ?? '', /weird/);
});

test('buildRequest serializes path, query, header and cookie parameters by their definitions', () => {
  const { request, view, warnings } = buildRequest({
    operation: operation({
      path: '/colors/{color}/{shade}',
      operation: {
        parameters: [
          { name: 'color', in: 'path', required: true, style: 'matrix', explode: true },
          { name: 'filter', in: 'query', style: 'deepObject', explode: true },
          { name: 'tags', in: 'query', style: 'pipeDelimited', explode: false },
          { name: 'X-Ids', in: 'header', explode: true },
        ],
      },
      pathItem: { parameters: [{ name: 'shade', in: 'path', required: true, style: 'label' }] },
    }),
    serverUrl: 'http://h',
    parameters: [
      { name: 'color', in: 'path', value: OBJECT },
      { name: 'shade', in: 'path', value: ['dark', 'light'] },
      { name: 'filter', in: 'query', value: { status: 'open' } },
      { name: 'tags', in: 'query', value: ['a', 'b'] },
      { name: 'x-ids', in: 'header', value: { a: 1, b: 2 } },
    ],
  });
  assert.equal(
    request.url,
    'http://h/colors/;R=100;G=200;B=150/.dark,light?filter%5Bstatus%5D=open&tags=a%7Cb',
  );
  assert.equal(request.headers['x-ids'], 'a=1,b=2');
  assert.deepEqual(view.request.query, { filter: 'status,open', tags: 'a,b' });
  assert.deepEqual(view.request.path, { color: 'R,100,G,200,B,150', shade: 'dark,light' });
  assert.deepEqual(warnings, []);
});

test('operation parameters override path-item parameters of the same name and location', () => {
  const { request } = buildRequest({
    operation: operation({
      path: '/x',
      pathItem: { parameters: [{ name: 'ids', in: 'query', style: 'form', explode: true }] },
      operation: { parameters: [{ name: 'ids', in: 'query', style: 'form', explode: false }] },
    }),
    serverUrl: 'http://h',
    parameters: [{ name: 'ids', in: 'query', value: [1, 2] }],
  });
  assert.equal(request.url, 'http://h/x?ids=1,2');
});

test('a parameter the operation does not define is sent with defaults and a warning', () => {
  const { request, warnings } = buildRequest({
    operation: operation({ path: '/x' }),
    serverUrl: 'http://h',
    parameters: [
      { name: 'ids', in: 'query', value: [1, 2] },
      { name: 'X-Trace', in: 'header', value: 't' },
    ],
  });
  assert.equal(request.url, 'http://h/x?ids=1&ids=2');
  assert.equal(warnings.length, 1, 'undefined headers are common and not warned about');
  assert.match(warnings[0] ?? '', /"ids" \(in query\) is not defined/);
});

test('OAS 3 ignores Accept, Content-Type and Authorization header definitions (no style applied)', () => {
  const { request } = buildRequest({
    operation: operation({
      path: '/x',
      operation: {
        parameters: [
          { name: 'Authorization', in: 'header', required: true, style: 'simple', explode: true },
        ],
      },
    }),
    serverUrl: 'http://h',
    parameters: [{ name: 'Authorization', in: 'header', value: 'Bearer t' }],
  });
  assert.equal(request.headers['Authorization'], 'Bearer t');
});
