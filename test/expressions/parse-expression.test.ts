/**
 * parseExpression: every form of the Arazzo 1.0.1 ABNF (and the Examples table), and every error
 * code with its offset.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ExpressionError,
  parseExpression,
  type ExpressionErrorCode,
} from '../../src/expressions/index.js';

const forms: { name: string; text: string; expected: Record<string, unknown> }[] = [
  { name: '$url', text: '$url', expected: { kind: 'url' } },
  { name: '$method', text: '$method', expected: { kind: 'method' } },
  { name: '$statusCode', text: '$statusCode', expected: { kind: 'statusCode' } },
  {
    name: 'request header',
    text: '$request.header.accept',
    expected: { kind: 'request', source: 'header', name: 'accept' },
  },
  {
    name: 'request header with every tchar',
    text: "$request.header.X-A!#$%&'*+.^_`|~1",
    expected: { kind: 'request', source: 'header', name: "X-A!#$%&'*+.^_`|~1" },
  },
  {
    name: 'request query',
    text: '$request.query.verbose',
    expected: { kind: 'request', source: 'query', name: 'verbose' },
  },
  {
    name: 'request query name is *CHAR (dots, spaces)',
    text: '$request.query.filter.name x',
    expected: { kind: 'request', source: 'query', name: 'filter.name x' },
  },
  {
    name: 'request path',
    text: '$request.path.id',
    expected: { kind: 'request', source: 'path', name: 'id' },
  },
  { name: 'request body', text: '$request.body', expected: { kind: 'request', source: 'body' } },
  {
    name: 'request body pointer',
    text: '$request.body#/user/uuid',
    expected: { kind: 'request', source: 'body', pointer: ['user', 'uuid'] },
  },
  {
    name: 'response header',
    text: '$response.header.Server',
    expected: { kind: 'response', source: 'header', name: 'Server' },
  },
  { name: 'response body', text: '$response.body', expected: { kind: 'response', source: 'body' } },
  {
    name: 'response body pointer into an array',
    text: '$response.body#/items/0/id',
    expected: { kind: 'response', source: 'body', pointer: ['items', '0', 'id'] },
  },
  {
    name: 'pointer "#" alone is the whole value',
    text: '$response.body#',
    expected: { pointer: [] },
  },
  { name: 'pointer "#/" is the empty key', text: '$response.body#/', expected: { pointer: [''] } },
  { name: 'pointer ~1 decodes to /', text: '$response.body#/a~1b', expected: { pointer: ['a/b'] } },
  { name: 'pointer ~0 decodes to ~', text: '$response.body#/m~0n', expected: { pointer: ['m~n'] } },
  {
    name: 'pointer ~01 decodes to ~1 (left to right)',
    text: '$response.body#/~01',
    expected: { pointer: ['~1'] },
  },
  {
    name: 'pointer tokens may hold spaces and dots',
    text: '$response.body#/a b/c.d',
    expected: { pointer: ['a b', 'c.d'] },
  },
  {
    name: 'pointer with unicode',
    text: '$response.body#/ключ/☺',
    expected: { pointer: ['ключ', '☺'] },
  },
  {
    name: 'dot navigation after body (compat)',
    text: '$response.body.links.self',
    expected: {
      kind: 'response',
      source: 'body',
      accessors: [
        { kind: 'member', name: 'links', offset: 14 },
        { kind: 'member', name: 'self', offset: 20 },
      ],
    },
  },
  {
    name: 'index navigation after body (compat)',
    text: '$response.body[0].id',
    expected: {
      accessors: [
        { kind: 'index', index: 0, offset: 14 },
        { kind: 'member', name: 'id', offset: 17 },
      ],
    },
  },
  { name: 'inputs', text: '$inputs.username', expected: { kind: 'inputs', name: 'username' } },
  {
    name: 'inputs pointer',
    text: '$inputs.customer#/firstName',
    expected: { kind: 'inputs', name: 'customer', pointer: ['firstName'] },
  },
  {
    name: 'inputs dotted name (resolved at evaluation)',
    text: '$inputs.customer.firstName',
    expected: { name: 'customer.firstName' },
  },
  {
    name: 'inputs index then member',
    text: '$inputs.flags[1]',
    expected: { name: 'flags', accessors: [{ kind: 'index', index: 1, offset: 13 }] },
  },
  { name: 'outputs', text: '$outputs.bar', expected: { kind: 'outputs', name: 'bar' } },
  {
    name: 'outputs pointer',
    text: '$outputs.mappedResponse#/name',
    expected: { kind: 'outputs', pointer: ['name'] },
  },
  {
    name: 'steps output',
    text: '$steps.someStepId.outputs.pets',
    expected: { kind: 'steps', stepId: 'someStepId', name: 'pets' },
  },
  {
    name: 'steps output pointer',
    text: '$steps.someStepId.outputs.pets#/0/id',
    expected: { kind: 'steps', stepId: 'someStepId', name: 'pets', pointer: ['0', 'id'] },
  },
  {
    name: 'steps id with - and _',
    text: '$steps.step-2_b.outputs.n',
    expected: { stepId: 'step-2_b' },
  },
  {
    name: 'steps output name with dots',
    text: '$steps.s.outputs.out.put',
    expected: { name: 'out.put' },
  },
  {
    name: 'workflows input',
    text: '$workflows.foo.inputs.username',
    expected: { kind: 'workflows', workflowId: 'foo', field: 'inputs', name: 'username' },
  },
  {
    name: 'workflows output pointer',
    text: '$workflows.foo.outputs.mappedResponse#/name',
    expected: {
      kind: 'workflows',
      workflowId: 'foo',
      field: 'outputs',
      name: 'mappedResponse',
      pointer: ['name'],
    },
  },
  {
    name: 'sourceDescriptions url',
    text: '$sourceDescriptions.petstore.url',
    expected: { kind: 'sourceDescriptions', sourceName: 'petstore', reference: 'url' },
  },
  {
    name: 'sourceDescriptions operationId',
    text: '$sourceDescriptions.petstore.getPetById',
    expected: { kind: 'sourceDescriptions', sourceName: 'petstore', reference: 'getPetById' },
  },
  {
    name: 'sourceDescriptions workflowId',
    text: '$sourceDescriptions.flows.place-order',
    expected: { kind: 'sourceDescriptions', sourceName: 'flows', reference: 'place-order' },
  },
  {
    name: 'sourceDescriptions reference is 1*CHAR',
    text: '$sourceDescriptions.api.get/pets {x}',
    expected: { reference: 'get/pets {x}' },
  },
  {
    name: 'components inputs',
    text: '$components.inputs.login',
    expected: { kind: 'components', componentType: 'inputs', name: 'login' },
  },
  {
    name: 'components parameters',
    text: '$components.parameters.page',
    expected: { kind: 'components', componentType: 'parameters', name: 'page' },
  },
  {
    name: 'components successActions',
    text: '$components.successActions.notify',
    expected: { kind: 'components', componentType: 'successActions', name: 'notify' },
  },
  {
    name: 'components failureActions with dotted key',
    text: '$components.failureActions.refresh.v2',
    expected: { kind: 'components', componentType: 'failureActions', name: 'refresh.v2' },
  },
];

for (const row of forms) {
  test(`parses ${row.name}: ${row.text}`, () => {
    const expression = parseExpression(row.text);
    assert.equal(expression.text, row.text);
    for (const [key, value] of Object.entries(row.expected)) {
      assert.deepEqual((expression as unknown as Record<string, unknown>)[key], value, key);
    }
  });
}

test('no pointer or accessors unless written', () => {
  const expression = parseExpression('$inputs.username');
  assert.equal(expression.pointer, undefined);
  assert.equal(expression.accessors, undefined);
});

const errors: { name: string; text: string; code: ExpressionErrorCode; offset: number }[] = [
  { name: 'empty', text: '', code: 'EMPTY', offset: 0 },
  { name: 'no $', text: 'inputs.x', code: 'EXPECTED_DOLLAR', offset: 0 },
  { name: 'braced whole value', text: '{$inputs.x}', code: 'EXPECTED_DOLLAR', offset: 0 },
  { name: 'unknown root', text: '$foo.bar', code: 'UNKNOWN_ROOT', offset: 0 },
  { name: 'root case matters', text: '$StatusCode', code: 'UNKNOWN_ROOT', offset: 0 },
  { name: '$message is 1.1 only', text: '$message.payload', code: 'UNKNOWN_ROOT', offset: 0 },
  { name: 'a JSONPath is not an expression', text: '$.status', code: 'UNKNOWN_ROOT', offset: 0 },
  { name: 'bare $', text: '$', code: 'UNKNOWN_ROOT', offset: 0 },
  { name: '$inputs without a name', text: '$inputs', code: 'EXPECTED_DOT', offset: 7 },
  { name: '$inputs. with an empty name', text: '$inputs.', code: 'EXPECTED_NAME', offset: 8 },
  {
    name: 'input name with a bad first character',
    text: '$inputs.#x',
    code: 'EXPECTED_NAME',
    offset: 8,
  },
  { name: '$request without source', text: '$request', code: 'EXPECTED_DOT', offset: 8 },
  { name: 'unknown request source', text: '$request.cookie.x', code: 'UNKNOWN_SOURCE', offset: 9 },
  { name: 'header without a dot', text: '$response.header', code: 'EXPECTED_DOT', offset: 16 },
  { name: 'empty header name', text: '$response.header.', code: 'EXPECTED_NAME', offset: 17 },
  {
    name: 'header name is a token',
    text: '$response.header.a b',
    code: 'TRAILING_CHARACTERS',
    offset: 18,
  },
  { name: 'empty query name', text: '$request.query.', code: 'EXPECTED_NAME', offset: 15 },
  { name: 'empty path name', text: '$request.path.', code: 'EXPECTED_NAME', offset: 14 },
  {
    name: 'pointer without leading /',
    text: '$response.body#status',
    code: 'INVALID_POINTER',
    offset: 15,
  },
  { name: 'bad ~ escape', text: '$response.body#/a~2', code: 'INVALID_POINTER', offset: 17 },
  { name: 'dangling ~', text: '$response.body#/a~', code: 'INVALID_POINTER', offset: 17 },
  { name: 'non-numeric index', text: '$response.body[x]', code: 'INVALID_ACCESSOR', offset: 14 },
  { name: 'negative index', text: '$response.body[-1]', code: 'INVALID_ACCESSOR', offset: 14 },
  { name: 'unclosed index', text: '$response.body[1', code: 'INVALID_ACCESSOR', offset: 14 },
  { name: 'leading-zero index', text: '$inputs.a[01]', code: 'INVALID_ACCESSOR', offset: 9 },
  {
    name: 'trailing dot after body',
    text: '$response.body.',
    code: 'TRAILING_CHARACTERS',
    offset: 14,
  },
  {
    name: 'steps without outputs',
    text: '$steps.retrieve.finalizedPaymentPlan',
    code: 'EXPECTED_OUTPUTS',
    offset: 15,
  },
  { name: 'steps without id', text: '$steps..outputs.x', code: 'EXPECTED_NAME', offset: 7 },
  {
    name: 'steps id with a dot-free strict class',
    text: '$steps.a@b.outputs.x',
    code: 'EXPECTED_OUTPUTS',
    offset: 8,
  },
  { name: 'steps output empty', text: '$steps.s.outputs.', code: 'EXPECTED_NAME', offset: 17 },
  {
    name: 'workflows without field',
    text: '$workflows.foo.bar',
    code: 'EXPECTED_INPUTS_OR_OUTPUTS',
    offset: 14,
  },
  {
    name: 'workflows without name',
    text: '$workflows.foo.inputs.',
    code: 'EXPECTED_NAME',
    offset: 22,
  },
  {
    name: 'sourceDescriptions without reference',
    text: '$sourceDescriptions.petstore',
    code: 'EXPECTED_DOT',
    offset: 28,
  },
  {
    name: 'sourceDescriptions empty reference',
    text: '$sourceDescriptions.petstore.',
    code: 'EXPECTED_NAME',
    offset: 29,
  },
  { name: 'components bare', text: '$components.foo', code: 'UNKNOWN_COMPONENT_TYPE', offset: 12 },
  {
    name: 'components without name',
    text: '$components.parameters',
    code: 'EXPECTED_DOT',
    offset: 22,
  },
  { name: '$url with a tail', text: '$url/x', code: 'TRAILING_CHARACTERS', offset: 4 },
  {
    name: '$statusCode with a member',
    text: '$statusCode.x',
    code: 'TRAILING_CHARACTERS',
    offset: 11,
  },
  {
    name: 'input name followed by junk',
    text: '$inputs.a b',
    code: 'TRAILING_CHARACTERS',
    offset: 9,
  },
  {
    name: 'pointer after an accessor',
    text: '$inputs.a[0]#/x',
    code: 'TRAILING_CHARACTERS',
    offset: 12,
  },
];

for (const row of errors) {
  test(`rejects ${row.name}: ${JSON.stringify(row.text)} → ${row.code}@${row.offset}`, () => {
    assert.throws(
      () => parseExpression(row.text),
      (error: unknown) => {
        assert.ok(error instanceof ExpressionError, 'an ExpressionError');
        assert.equal(error.code, row.code, error.message);
        assert.equal(error.offset, row.offset, error.message);
        assert.ok(error.message.length > 0);
        return true;
      },
    );
  });
}

test('a misspelt root suggests the right one', () => {
  assert.throws(() => parseExpression('$statuscode'), /did you mean \$statusCode/);
});

test('a JSONPath-looking expression points at type: jsonpath', () => {
  assert.throws(() => parseExpression('$.status'), /type: jsonpath/);
});
