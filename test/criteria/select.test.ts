/**
 * 1.1 Selector Objects (criteria/select.ts, POSITIONS §11.10): what each language selects, one
 * table row per rule, over the shared context fixture; syntax problems as data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSelector, select } from '../../src/criteria/index.js';
import { compileSelector, compileValue, ExpressionError } from '../../src/expressions/index.js';
import { ctx, withResponse } from '../expressions/context-fixture.js';

const GOESSNER = { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' };
const xml = withResponse('<pets><pet id="1">rex</pet><pet id="2">tom</pet></pets>');

const rows: [string, Record<string, unknown>, unknown, typeof ctx?][] = [
  ['a singular query: its node', { selector: '$.nested.deep.value', type: 'jsonpath' }, 'v'],
  [
    'a singular query, negative index: its node',
    { selector: '$.items[-1].id', type: 'jsonpath' },
    2,
  ],
  ['a singular query that selects nothing', { selector: '$.nope', type: 'jsonpath' }, undefined],
  ['a wildcard: an array', { selector: '$.items[*].id', type: 'jsonpath' }, [1, 2]],
  [
    'a filter of one node: still an array',
    { selector: '$.items[?@.id == 2].name', type: 'jsonpath' },
    ['b'],
  ],
  ['a filter of none: the empty array', { selector: '$.items[?@.id == 9]', type: 'jsonpath' }, []],
  ['Goessner, a path: its node', { selector: '$.tags[1]', type: GOESSNER }, 'y'],
  ['Goessner, descendants: an array', { selector: '$..deep.value', type: GOESSNER }, ['v']],
  ['a JSON pointer', { selector: '/a~1b', type: 'jsonpointer' }, 'slash'],
  ['a JSON pointer to null: null', { selector: '/error', type: 'jsonpointer' }, null],
  ['a JSON pointer to nothing', { selector: '/nope', type: 'jsonpointer' }, undefined],
  ['XPath, one node: its string value', { selector: '/pets/pet[1]', type: 'xpath' }, 'rex', xml],
  ['XPath, nodes: their string values', { selector: '//pet/@id', type: 'xpath' }, ['1', '2'], xml],
  ['XPath, a number', { selector: 'count(//pet)', type: 'xpath' }, 2, xml],
  ['XPath, nothing', { selector: '//cat', type: 'xpath' }, undefined, xml],
];

for (const [name, fields, expected, context] of rows) {
  test(`select: ${name}`, async () => {
    const selector = compileSelector({ context: '$response.body', ...fields }, '1.1');
    assert.equal(checkSelector(selector), undefined);
    assert.deepEqual(await select(selector, context ?? ctx), { value: expected });
  });
}

test('select: a context of the wrong kind is a reason, not a value', async () => {
  const onText = compileSelector(
    { context: '$response.body', selector: '$.a', type: 'jsonpath' },
    '1.1',
  );
  assert.deepEqual(await select(onText, xml), {
    reason: 'context $response.body is text, not structured data (a JSON value)',
  });
  const onJson = compileSelector(
    { context: '$response.body', selector: '/a', type: 'xpath' },
    '1.1',
  );
  assert.deepEqual(await select(onJson, ctx), {
    reason: 'context $response.body is an object, not XML text',
  });
  const unset = compileSelector(
    { context: '$inputs.none', selector: '$.a', type: 'jsonpath' },
    '1.1',
  );
  assert.deepEqual(await select(unset, ctx), { value: undefined });
});

test('checkSelector: a selector that does not parse is a problem with its offset', () => {
  const problem = (selector: string, type: unknown) =>
    checkSelector(compileSelector({ context: '$response.body', selector, type }, '1.1'));
  assert.equal(problem('$.a[', 'jsonpath')?.code, 'JSONPATH_SYNTAX');
  assert.equal(problem('a.b', GOESSNER)?.code, 'JSONPATH_SYNTAX');
  assert.equal(problem('//a[', 'xpath')?.code, 'XPATH_SYNTAX');
  assert.equal(problem('a/b', 'jsonpointer')?.code, 'POINTER_SYNTAX');
  assert.equal(problem('/a', { type: 'xpath', version: 'xpath-10' }), undefined);
});

test('compileValue: a Selector Object only in 1.1, with its shape checked', () => {
  const raw = { context: '$response.body', selector: '$.id', type: 'jsonpath' };
  assert.equal(compileValue(raw, { version: '1.1' }).kind, 'selector');
  assert.equal(compileValue(raw, { version: '1.0' }).kind, 'object');
  const shape = (value: unknown): [string, readonly (string | number)[]] | undefined => {
    try {
      compileValue({ member: value }, { version: '1.1' });
      return undefined;
    } catch (error) {
      assert.ok(error instanceof ExpressionError);
      return [error.code, error.path];
    }
  };
  assert.deepEqual(shape({ selector: '$.a', type: 'jsonpath' }), ['INVALID_SELECTOR', ['member']]);
  assert.deepEqual(shape({ context: 1, selector: '$.a', type: 'jsonpath' }), [
    'INVALID_SELECTOR',
    ['member', 'context'],
  ]);
  assert.deepEqual(shape({ context: '$response.body', selector: '$.a', type: 'JSONPath' }), [
    'INVALID_SELECTOR',
    ['member', 'type'],
  ]);
  assert.deepEqual(shape({ context: '$response.body', selector: '$.a', type: { type: 'xpath' } }), [
    'INVALID_SELECTOR',
    ['member', 'type'],
  ]);
  assert.deepEqual(shape({ context: 'response.body', selector: '$.a', type: 'jsonpath' }), [
    'EXPECTED_DOLLAR',
    ['member', 'context'],
  ]);
});
