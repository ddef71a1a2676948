/**
 * Property-based tests (fast-check): compiling any condition — simple, regex, jsonpath (both
 * dialects), xpath — returns a compiled criterion or throws CriterionError with an offset inside
 * the field, never another exception; evaluating whatever compiled never throws.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileCriterion, CriterionError, evaluateCriterion } from '../../src/criteria/index.js';
import type { Criterion } from '../../src/document/types.js';
import { ctx, withResponse } from '../expressions/context-fixture.js';

const simpleFragments = [
  '$statusCode',
  '$response.body#/status',
  '$response.body.items[0]',
  '$inputs.threshold',
  '$inputs.',
  '$steps.a.outputs.b',
  '$url',
  '$',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '!',
  '&&',
  '||',
  '(',
  ')',
  '[',
  ']',
  '.',
  '#',
  '/',
  ' ',
  "'",
  "''",
  '"',
  "'x'",
  '"y"',
  '0',
  '-1',
  '2.5e3',
  '01',
  'true',
  'false',
  'null',
  'abc',
  '=',
  '&',
  '|',
  '{',
  '}',
  '\n',
  '☺',
];
const queryFragments = [
  '$',
  '@',
  '.',
  '..',
  '*',
  '[',
  ']',
  '?',
  '(',
  ')',
  "'a'",
  '"b"',
  '0',
  '-1',
  ':',
  ',',
  '==',
  '!=',
  '<',
  '>',
  '&&',
  '||',
  '!',
  'a',
  'length(',
  'count(',
  'match(',
  '{$inputs.threshold}',
  '{$',
  '}',
  ' ',
  '/',
  '//',
  'root',
  '@id',
  '\\',
  '^',
];
const fromFragments = (fragments: readonly string[]) =>
  fc.array(fc.constantFrom(...fragments), { maxLength: 12 }).map((parts) => parts.join(''));
const runs = { numRuns: 800 };

async function check(criterion: Criterion, field: string): Promise<void> {
  let compiled;
  try {
    compiled = compileCriterion(criterion);
  } catch (error) {
    assert.ok(error instanceof CriterionError, `not a CriterionError: ${String(error)}`);
    const text = (criterion as unknown as Record<string, unknown>)[error.field];
    const length = typeof text === 'string' ? text.length : 0;
    assert.ok(
      error.offset >= 0 && error.offset <= length,
      `offset ${error.offset} outside ${field}`,
    );
    return;
  }
  for (const context of [ctx, withResponse('<root><a>1</a></root>'), withResponse(null)]) {
    const result = await evaluateCriterion(compiled, context);
    assert.equal(typeof result.passed, 'boolean');
    if (!result.passed) assert.equal(typeof result.reason, 'string');
  }
}

const text = (fragments: readonly string[]) =>
  fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fromFragments(fragments));

test('simple conditions: compiled or CriterionError', async () => {
  await fc.assert(
    fc.asyncProperty(text(simpleFragments), (condition) => check({ condition }, 'condition')),
    runs,
  );
});

test('regex conditions: compiled or CriterionError', async () => {
  await fc.assert(
    fc.asyncProperty(text(queryFragments), (condition) =>
      check({ type: 'regex', context: '$response.body#/status', condition }, 'condition'),
    ),
    runs,
  );
});

test('jsonpath (RFC 9535) conditions: compiled or CriterionError', async () => {
  await fc.assert(
    fc.asyncProperty(text(queryFragments), (condition) =>
      check({ type: 'jsonpath', context: '$response.body', condition }, 'condition'),
    ),
    runs,
  );
});

test('jsonpath (Goessner) conditions: compiled or CriterionError', async () => {
  await fc.assert(
    fc.asyncProperty(text(queryFragments), (condition) =>
      check(
        {
          type: { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
          context: '$response.body',
          condition,
        },
        'condition',
      ),
    ),
    runs,
  );
});

test('xpath conditions: compiled or CriterionError', async () => {
  await fc.assert(
    fc.asyncProperty(text(queryFragments), (condition) =>
      check({ type: 'xpath', context: '$response.body', condition }, 'condition'),
    ),
    { numRuns: 400 },
  );
});

test('context expressions: compiled or CriterionError', async () => {
  await fc.assert(
    fc.asyncProperty(text(simpleFragments), (context) =>
      check({ type: 'regex', context, condition: '.' }, 'context'),
    ),
    runs,
  );
});
