/**
 * The RFC 9535 JSONPath Compliance Test Suite (test/suites/jsonpath-cts/, BSD-2), run through OUR
 * jsonpath module (`compileJsonPath(…, 'rfc9535')`), so it proves the wiring, not only the engine.
 * Every test runs; none is skipped.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CriterionError, compileJsonPath } from '../../src/criteria/index.js';

interface CtsTest {
  readonly name: string;
  readonly selector: string;
  readonly document?: unknown;
  readonly result?: unknown[];
  readonly results?: unknown[][];
  readonly invalid_selector?: boolean;
}

// dist/test/criteria/ → repository root → the vendored suite (JSON is not copied into dist/).
const suiteUrl = new URL('../../../test/suites/jsonpath-cts/cts.json', import.meta.url);
const suite = JSON.parse(readFileSync(suiteUrl, 'utf8')) as { tests: CtsTest[] };

test('the vendored suite has all 703 tests', () => {
  assert.equal(suite.tests.length, 703);
});

test('RFC 9535 compliance test suite', async (t) => {
  let passed = 0;
  for (const cts of suite.tests) {
    await t.test(cts.name, () => {
      if (cts.invalid_selector === true) {
        assert.throws(
          () => compileJsonPath(cts.selector, 'rfc9535'),
          (error: unknown) => error instanceof CriterionError && error.code === 'JSONPATH_SYNTAX',
          `selector ${JSON.stringify(cts.selector)} must be rejected`,
        );
      } else {
        const actual = compileJsonPath(cts.selector, 'rfc9535').query(cts.document);
        const accepted = cts.result !== undefined ? [cts.result] : (cts.results ?? []);
        assert.ok(accepted.length > 0, 'test has an expected result');
        const matches = accepted.some((expected) => {
          try {
            assert.deepStrictEqual(actual, expected);
            return true;
          } catch {
            return false;
          }
        });
        assert.ok(matches, `got ${JSON.stringify(actual)}, expected ${JSON.stringify(accepted)}`);
      }
      passed++;
    });
  }
  assert.equal(passed, 703, `${passed}/703 CTS tests passed`);
});
