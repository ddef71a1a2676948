/**
 * Property-based tests (fast-check): the expression, value and template parsers return a value or
 * their typed error (with an offset inside the input) for arbitrary input — never another
 * exception — and evaluation of whatever compiled never throws.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  compileValue,
  evaluateExpression,
  evaluateValue,
  ExpressionError,
  parseExpression,
  parseTemplate,
} from '../../src/expressions/index.js';
import { ctx } from './context-fixture.js';

/** Fragments that steer generated strings towards the interesting parts of the grammar. */
const fragments = [
  '$',
  '{',
  '}',
  '{$',
  '.',
  '#',
  '/',
  '~',
  '~0',
  '~1',
  '[',
  ']',
  '[0]',
  '0',
  '1',
  ' ',
  'a',
  '-',
  '_',
  "'",
  '"',
  'url',
  'method',
  'statusCode',
  'request',
  'response',
  'header',
  'query',
  'path',
  'body',
  'inputs',
  'outputs',
  'steps',
  'workflows',
  'sourceDescriptions',
  'components',
  'parameters',
  'successActions',
  '.outputs.',
  '.inputs.',
  '$inputs.',
  '$response.body#/',
  '$steps.s.outputs.',
  '=',
  '&',
  '☺',
  '\u0000',
  '\ud800',
];
const grammarish = fc
  .array(fc.constantFrom(...fragments), { maxLength: 12 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), grammarish);
const runs = { numRuns: 1500 };

function typedError(text: string, error: unknown): boolean {
  return (
    error instanceof ExpressionError &&
    error.offset >= 0 &&
    error.offset <= text.length &&
    error.message.length > 0
  );
}

test('parseExpression returns an expression whose text is the input, or throws ExpressionError', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      try {
        const expression = parseExpression(text);
        assert.equal(expression.text, text);
        evaluateExpression(expression, ctx);
      } catch (error) {
        assert.ok(typedError(text, error), String(error));
      }
    }),
    runs,
  );
});

test('parseTemplate returns parts that rebuild the input, or throws ExpressionError', () => {
  fc.assert(
    fc.property(anyText, fc.boolean(), (text, unbraced) => {
      try {
        const parts = parseTemplate(text, { unbraced });
        const rebuilt = parts
          .map((p) => (typeof p === 'string' ? p : text.slice(p.offset, p.end)))
          .join('');
        assert.equal(rebuilt, text);
      } catch (error) {
        assert.ok(typedError(text, error), String(error));
      }
    }),
    runs,
  );
});

test('compileValue compiles any JSON value or throws ExpressionError; evaluation never throws', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      anyText,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(anyText, tie('value'), { maxKeys: 3 }),
    ),
  })).value;
  fc.assert(
    fc.property(json, (raw) => {
      let compiled;
      try {
        compiled = compileValue(raw);
      } catch (error) {
        assert.ok(error instanceof ExpressionError, String(error));
        return;
      }
      const result = evaluateValue(compiled, ctx);
      assert.ok(Array.isArray(result.unresolved));
    }),
    runs,
  );
});
