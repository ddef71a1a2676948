/**
 * compileValue / evaluateValue / valueNotes / expressionsIn: the value rules of SPEC-NOTES §4.3
 * (whole expression keeps its type, templates stringify, the unbraced compatibility form, literal
 * `$`), recursion through payloads, and errors located by path and offset.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileValue,
  evaluateValue,
  expressionsIn,
  ExpressionError,
  valueNotes,
  type ExpressionErrorCode,
  type ValueNoteCode,
} from '../../src/expressions/index.js';
import { ctx } from './context-fixture.js';

const values: { name: string; raw: unknown; value: unknown; unresolved?: string[] }[] = [
  { name: 'a number literal', raw: 10, value: 10 },
  { name: 'a boolean literal', raw: true, value: true },
  { name: 'null', raw: null, value: null },
  { name: 'plain text', raw: 'available', value: 'available' },
  { name: 'a whole expression keeps a number', raw: '$inputs.pet_id', value: 42 },
  {
    name: 'a whole expression keeps an object',
    raw: '$inputs.customer',
    value: { firstName: 'Ann', address: { city: 'Oslo' } },
  },
  { name: 'a whole expression keeps null', raw: '$response.body#/error', value: null },
  { name: 'a whole expression keeps a boolean', raw: '$response.body#/ok', value: true },
  {
    name: 'a whole expression with a pointer',
    raw: '$steps.someStepId.outputs.pets#/1/id',
    value: 8,
  },
  {
    name: 'a whole expression with a pointer holding spaces',
    raw: '$response.body#/a b',
    value: undefined,
    unresolved: ['$response.body#/a b'],
  },
  { name: 'a braced template', raw: 'Bearer {$inputs.token}', value: 'Bearer secret' },
  {
    name: 'two braced expressions',
    raw: '{$inputs.username}:{$inputs.token}',
    value: 'ann:secret',
  },
  { name: 'a number is stringified', raw: 'id={$inputs.pet_id}', value: 'id=42' },
  { name: 'a boolean is stringified', raw: 'ok={$response.body#/ok}', value: 'ok=true' },
  { name: 'null is stringified as "null"', raw: 'e={$response.body#/error}', value: 'e=null' },
  {
    name: 'an object is embedded as JSON',
    raw: 'c={$inputs.customer}',
    value: 'c={"firstName":"Ann","address":{"city":"Oslo"}}',
  },
  { name: 'an array is embedded as JSON', raw: 't={$response.body#/tags}', value: 't=["x","y"]' },
  { name: 'a single braced expression becomes text', raw: '{$inputs.pet_id}', value: '42' },
  {
    name: 'operationPath template',
    raw: '{$sourceDescriptions.petstore.url}#/paths/~1pet~1findByStatus/get',
    value: 'https://example.com/petstore.yaml#/paths/~1pet~1findByStatus/get',
  },
  { name: 'the expression ends at the first "}"', raw: '{$response.body#/id}}', value: '0042}' },
  {
    name: 'braced query name is *CHAR up to "}"',
    raw: '[{$request.query.filter.name}]',
    value: '[rex]',
  },
  { name: 'unbraced compatibility form', raw: 'Bearer $inputs.token', value: 'Bearer secret' },
  { name: 'unbraced in a query string', raw: 'a=$inputs.username&b=1', value: 'a=ann&b=1' },
  { name: 'unbraced before a sentence dot', raw: 'Hello $inputs.username.', value: 'Hello ann.' },
  {
    name: 'unbraced body pointer inside JSON text',
    raw: '{"id": "$response.body#/id"}',
    value: '{"id": "0042"}',
  },
  { name: 'unbraced followed by text', raw: '$inputs.username is here', value: 'ann is here' },
  {
    name: 'mixed braced and unbraced',
    raw: '$inputs.username {$inputs.token}',
    value: 'ann secret',
  },
  { name: '"$5" is literal', raw: 'costs $5', value: 'costs $5' },
  { name: '"$ref" is literal', raw: '$ref', value: '$ref' },
  { name: 'a JSONPath string is literal', raw: '$.store.book[0]', value: '$.store.book[0]' },
  { name: '"{$5}" is literal', raw: 'x{$5}', value: 'x{$5}' },
  { name: 'JSON text braces are literal', raw: '{"a": {"b": 1}}', value: '{"a": {"b": 1}}' },
  {
    name: 'an unresolved whole expression is undefined',
    raw: '$inputs.nope',
    value: undefined,
    unresolved: ['$inputs.nope'],
  },
  {
    name: 'an unresolved embedded expression is left empty',
    raw: 'x={$inputs.nope}',
    value: 'x=',
    unresolved: ['$inputs.nope'],
  },
  {
    name: 'payload objects are walked (keys stay literal)',
    raw: {
      petId: '$inputs.pet_id',
      '$inputs.token': 'k',
      nested: [{ q: 'Bearer {$inputs.token}' }, 5],
    },
    value: { petId: 42, '$inputs.token': 'k', nested: [{ q: 'Bearer secret' }, 5] },
  },
  {
    name: 'unresolved texts are listed once, in order',
    raw: ['$inputs.a', '{$inputs.b}', '$inputs.a'],
    value: [undefined, '', undefined],
    unresolved: ['$inputs.a', '$inputs.b'],
  },
];

for (const row of values) {
  test(`value: ${row.name}`, () => {
    const result = evaluateValue(compileValue(row.raw), ctx);
    assert.deepEqual(result.value, row.value);
    assert.deepEqual(result.unresolved, row.unresolved ?? []);
  });
}

test('evaluation rebuilds objects (the document is never handed out for mutation)', () => {
  const raw = { a: { b: [1, 2] } };
  const result = evaluateValue(compileValue(raw), ctx).value as { a: { b: number[] } };
  assert.deepEqual(result, raw);
  assert.notEqual(result.a, raw.a);
  assert.notEqual(result.a.b, raw.a.b);
});

test('a "__proto__" payload key stays a plain member', () => {
  const raw = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
  const result = evaluateValue(compileValue(raw), ctx).value as Record<string, unknown>;
  assert.ok(Object.hasOwn(result, '__proto__'));
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

const notes: {
  name: string;
  raw: unknown;
  code: ValueNoteCode;
  offset: number;
  path: (string | number)[];
  rewrite?: string;
}[] = [
  {
    name: 'unbraced',
    raw: 'Bearer $inputs.token',
    code: 'UNBRACED_EMBEDDED_EXPRESSION',
    offset: 7,
    path: [],
    rewrite: 'Bearer {$inputs.token}',
  },
  {
    name: 'unbraced inside a payload',
    raw: { auth: { header: 'Bearer $inputs.token and $inputs.username' } },
    code: 'UNBRACED_EMBEDDED_EXPRESSION',
    offset: 7,
    path: ['auth', 'header'],
    rewrite: 'Bearer {$inputs.token} and {$inputs.username}',
  },
  {
    name: 'dot navigation',
    raw: '$response.body.links.self',
    code: 'DOT_NAVIGATION',
    offset: 0,
    path: [],
    rewrite: '$response.body#/links/self',
  },
  {
    name: 'index navigation',
    raw: ['x', 'id {$response.body[0].id}'],
    code: 'DOT_NAVIGATION',
    offset: 4,
    path: [1],
    rewrite: 'id {$response.body#/0/id}',
  },
  {
    name: 'braced whole value',
    raw: '{$inputs.customer}',
    code: 'BRACED_WHOLE_VALUE',
    offset: 0,
    path: [],
    rewrite: '$inputs.customer',
  },
];

for (const row of notes) {
  test(`note: ${row.name} → ${row.code}`, () => {
    const found = valueNotes(compileValue(row.raw)).find((note) => note.code === row.code);
    assert.ok(found, `expected a ${row.code} note`);
    assert.equal(found.offset, row.offset);
    assert.deepEqual(found.path, row.path);
    if (row.rewrite !== undefined) assert.equal(found.rewrite, row.rewrite);
    assert.ok(found.message.length > 0);
  });
}

test('the spec forms produce no notes', () => {
  for (const raw of [
    '$inputs.token',
    'Bearer {$inputs.token}',
    '$response.body#/a',
    { a: ['$inputs.x', 1] },
    'costs $5',
  ]) {
    assert.deepEqual(valueNotes(compileValue(raw)), [], JSON.stringify(raw));
  }
});

test('expressionsIn lists every referenced expression in order', () => {
  const compiled = compileValue({
    a: '$steps.s.outputs.x',
    b: ['{$inputs.a} and $inputs.b'],
    c: 3,
  });
  assert.deepEqual(
    expressionsIn(compiled).map((e) => e.text),
    ['$steps.s.outputs.x', '$inputs.a', '$inputs.b'],
  );
});

const errors: {
  name: string;
  raw: unknown;
  code: ExpressionErrorCode;
  offset: number;
  path: (string | number)[];
}[] = [
  { name: 'unclosed brace', raw: 'x {$inputs.token', code: 'UNCLOSED_BRACE', offset: 2, path: [] },
  {
    name: 'junk inside braces',
    raw: '{$inputs.a b}',
    code: 'UNCLOSED_BRACE',
    offset: 10,
    path: [],
  },
  {
    name: 'bad braced expression',
    raw: 'a {$steps.x.y}',
    code: 'EXPECTED_OUTPUTS',
    offset: 11,
    path: [],
  },
  {
    name: 'whole value with a known root and nothing else',
    raw: '$inputs',
    code: 'EXPECTED_DOT',
    offset: 7,
    path: [],
  },
  {
    name: 'unbraced with a bad pointer',
    raw: 'id $response.body#/a~9',
    code: 'INVALID_POINTER',
    offset: 20,
    path: [],
  },
  {
    name: 'error inside a payload',
    raw: { a: [1, { b: 'v={$inputs.}' }] },
    code: 'EXPECTED_NAME',
    offset: 11,
    path: ['a', 1, 'b'],
  },
];

for (const row of errors) {
  test(`value error: ${row.name} → ${row.code}`, () => {
    assert.throws(
      () => compileValue(row.raw),
      (error: unknown) => {
        assert.ok(error instanceof ExpressionError);
        assert.equal(error.code, row.code, error.message);
        assert.equal(error.offset, row.offset, error.message);
        assert.deepEqual(error.path, row.path);
        return true;
      },
    );
  });
}
