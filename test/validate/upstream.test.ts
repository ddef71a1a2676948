/**
 * The upstream corpus (OAI/Arazzo-Specification examples and 1.0 schema tests, copied under
 * test/fixtures/validate/upstream) and the results it should give (SPEC-NOTES §13).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { validateFile, type Diagnostic } from '../../src/validate/index.js';
import { brief, errors, FIXTURES } from './helpers.js';

const UPSTREAM = `${FIXTURES}/upstream`;
const EXAMPLES = `${UPSTREAM}/examples/1.0.0`;
// Remote sources (raw.githubusercontent.com) are never fetched by the tests.
const offline = { resolveRemote: false };

function only(diagnostics: readonly Diagnostic[], code: string) {
  return diagnostics.filter((d) => d.code === code).map(brief);
}

test('schema-tests/fail: every document is rejected by the schema', async () => {
  const files = readdirSync(`${UPSTREAM}/schema-tests/fail`);
  assert.ok(files.length >= 2);
  for (const file of files) {
    const result = await validateFile(`${UPSTREAM}/schema-tests/fail/${file}`, offline);
    assert.equal(result.valid, false, file);
    assert.ok(
      result.diagnostics.some((d) => d.code === 'schema' && d.severity === 'error'),
      file,
    );
  }
  const version = await validateFile(
    `${UPSTREAM}/schema-tests/fail/invalid-arazzo-version.yaml`,
    offline,
  );
  assert.deepEqual(only(version.diagnostics, 'schema'), [
    { code: 'schema', pointer: '/arazzo', line: 1 },
    { code: 'schema', pointer: '/workflows/0/steps/0', line: 11 },
  ]);
  const list = await validateFile(`${UPSTREAM}/schema-tests/fail/not-an-object.yaml`, offline);
  assert.deepEqual(list.diagnostics.map(brief), [{ code: 'schema', pointer: '', line: 1 }]);
});

test('schema-tests/pass: every document passes the schema', async () => {
  for (const file of readdirSync(`${UPSTREAM}/schema-tests/pass`)) {
    const result = await validateFile(`${UPSTREAM}/schema-tests/pass/${file}`, {
      resolveSources: false,
    });
    assert.deepEqual(only(result.diagnostics, 'schema'), [], file);
  }
});

test('FAPI-PAR: operationId PAR is not found, and the message suggests Par', async () => {
  const result = await validateFile(`${EXAMPLES}/FAPI-PAR.arazzo.yaml`, offline);
  assert.deepEqual(errors(result.diagnostics).map(brief), [
    { code: 'operation-not-found', pointer: '/workflows/0/steps/0/operationId', line: 102 },
  ]);
  assert.match(
    result.diagnostics.find((d) => d.code === 'operation-not-found')?.message ?? '',
    /"PAR".*did you mean "Par"/,
  );
});

test('ExtendedParametersExample: the missing ./animals.yaml is reported at its url', async () => {
  const result = await validateFile(`${EXAMPLES}/ExtendedParametersExample.arazzo.yaml`, offline);
  assert.deepEqual(errors(result.diagnostics).map(brief), [
    { code: 'source-load-failed', pointer: '/sourceDescriptions/0/url', line: 8 },
  ]);
  assert.match(errors(result.diagnostics)[0]?.message ?? '', /animals\.yaml/);
});

test('bnpl: the undeclared step outputs are reported', async () => {
  const result = await validateFile(`${EXAMPLES}/bnpl-arazzo.yaml`, offline);
  assert.deepEqual(errors(result.diagnostics).map(brief), [
    // Its own, undeclared output (the step declares redirectUrl).
    {
      code: 'step-output-not-found',
      pointer: '/workflows/0/steps/4/parameters/0/value',
      line: 231,
    },
    // loanTransactionId is never declared by initiateBnplTransaction (twice).
    {
      code: 'step-output-not-found',
      pointer: '/workflows/0/steps/5/parameters/0/value',
      line: 242,
    },
    {
      code: 'step-output-not-found',
      pointer: '/workflows/0/steps/6/parameters/0/value',
      line: 253,
    },
    // $steps.retrieveFinalizedPaymentPlan.finalizedPaymentPlan lacks ".outputs.".
    { code: 'expression-invalid', pointer: '/workflows/0/outputs/finalizedPaymentPlan', line: 260 },
  ]);
  assert.deepEqual(only(result.diagnostics, 'source-remote-skipped'), [
    { code: 'source-remote-skipped', pointer: '/sourceDescriptions/0/url', line: 9 },
  ]);
  // $[?count(@.products) > 0] over the object response (SPEC-NOTES §5.3).
  assert.equal(only(result.diagnostics, 'jsonpath-root-filter').length, 2);
});

test('LoginAndRetrievePets: the operationPath that stops before the method', async () => {
  const result = await validateFile(`${EXAMPLES}/LoginAndRetrievePets.arazzo.yaml`, offline);
  assert.deepEqual(errors(result.diagnostics).map(brief), [
    { code: 'operation-path-invalid', pointer: '/workflows/0/steps/1/operationPath', line: 46 },
  ]);
  assert.match(
    result.diagnostics.find((d) => d.severity === 'error')?.message ?? '',
    /~1pet~1findByStatus\/get/,
  );
});

test('oauth: valid (the root-filter conditions are warnings)', async () => {
  const result = await validateFile(`${EXAMPLES}/oauth.arazzo.yaml`, offline);
  assert.deepEqual(errors(result.diagnostics).map(brief), []);
  assert.deepEqual(
    result.diagnostics.map((d) => d.code),
    ['jsonpath-root-filter', 'jsonpath-root-filter'],
  );
});

test('pet-coupons: find-coupons passes pet_id where the operation wants petId', async () => {
  const result = await validateFile(`${EXAMPLES}/pet-coupons.arazzo.yaml`, offline);
  assert.deepEqual(errors(result.diagnostics).map(brief), [
    { code: 'parameter-required-missing', pointer: '/workflows/0/steps/1/operationId', line: 38 },
  ]);
  assert.deepEqual(only(result.diagnostics, 'parameter-unknown'), [
    { code: 'parameter-unknown', pointer: '/workflows/0/steps/0/parameters/0', line: 26 },
    { code: 'parameter-unknown', pointer: '/workflows/0/steps/1/parameters/0', line: 40 },
  ]);
});

const SCHEMA_TESTS_11 = `${UPSTREAM}/schema-tests-1.1`;

test('schema-tests-1.1/fail: every document is rejected by the 1.1 schema, at its defect', async () => {
  const files = readdirSync(`${SCHEMA_TESTS_11}/fail`);
  assert.equal(files.length, 27);
  const found: Record<string, unknown> = {};
  for (const file of files) {
    const result = await validateFile(`${SCHEMA_TESTS_11}/fail/${file}`, { resolveSources: false });
    assert.equal(result.valid, false, file);
    found[file] = only(result.diagnostics, 'schema')[0];
  }
  // One pointer per kind of defect the suite covers.
  const expected = {
    'async-both-operationId-and-channelPath.arazzo.yaml': ['/workflows/0/steps/0', 12],
    'async-depends-on-duplicate-values.arazzo.yaml': ['/workflows/0/steps/1/dependsOn/1', 20],
    'async-depends-on-empty.arazzo.yaml': ['/workflows/0/steps/1/dependsOn', 18],
    'async-depends-on-invalid-reference.arazzo.yaml': ['/workflows/0/steps/1/dependsOn/0', 22],
    'invalid-async-correlation-id-non-receive-action.arazzo.yaml': [
      '/workflows/0/steps/0/action',
      14,
    ],
    'invalid-expression-type-object.arazzo.yaml': [
      '/workflows/0/steps/0/outputs/brokenSelector/type/version',
      20,
    ],
    'invalid-querystring-without-value.arazzo.yaml': ['/workflows/0/steps/0/parameters/0', 15],
    'invalid-selector-object.arazzo.yaml': [
      '/workflows/0/steps/0/outputs/brokenOutput/expression',
      16,
    ],
    'invalid-self-fragment.arazzo.yaml': ['/$self', 2],
    'invalid-targetSelectorType.arazzo.yaml': [
      '/workflows/0/steps/0/requestBody/replacements/0/targetSelectorType',
      18,
    ],
    'openapi-duplicate-parameters.arazzo.yaml': ['/workflows/0/steps/0/parameters/1', 18],
    'workflow-step-with-channelPath.arazzo.yaml': ['/workflows/0/steps/0/channelPath', 14],
  } as const;
  for (const [file, [pointer, line]] of Object.entries(expected)) {
    assert.deepEqual(found[file], { code: 'schema', pointer, line }, file);
  }
});

test('schema-tests-1.1/pass: every document passes the 1.1 schema', async () => {
  const files = readdirSync(`${SCHEMA_TESTS_11}/pass`);
  assert.equal(files.length, 35);
  for (const file of files) {
    const result = await validateFile(`${SCHEMA_TESTS_11}/pass/${file}`, { resolveSources: false });
    assert.deepEqual(only(result.diagnostics, 'schema'), [], file);
  }
});
