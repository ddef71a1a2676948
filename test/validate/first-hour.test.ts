/**
 * What validate says about habits of other tools (issue 20, "the first hour with someone else's
 * documents"): the `<source>.<operationId>` shorthand, `contains`, an unquoted media type. Each
 * message names the Arazzo way to write it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFile } from '../../src/validate/index.js';
import { FIXTURES } from './helpers.js';

const result = await validateFile(`${FIXTURES}/first-hour/other-tools.arazzo.yaml`, {
  resolveRemote: false,
});
const at = (pointer: string): string[] =>
  result.diagnostics
    .filter((d) => d.pointer === pointer && d.severity === 'error')
    .map((d) => `${d.code}: ${d.message}`);
const step = (n: number): string => `/workflows/0/steps/${n}`;

test('the <source>.<operationId> shorthand: write $sourceDescriptions.<source>.<operationId>', () => {
  assert.deepEqual(at(`${step(0)}/operationId`), [
    'operation-not-found: operationId "cafe-api.listPets" not found; a source is named with a runtime expression: write operationId: $sourceDescriptions.cafe-api.listPets',
  ]);
});

test('the shorthand with a misspelt operationId suggests the closest one of that source', () => {
  assert.deepEqual(at(`${step(1)}/operationId`), [
    'operation-not-found: operationId "cafe-api.getPets" not found; a source is named with a runtime expression: write operationId: $sourceDescriptions.cafe-api.getPet (source "cafe-api" has no "getPets")',
  ]);
});

test('the shorthand with an unknown operationId shows the form', () => {
  assert.deepEqual(at(`${step(2)}/operationId`), [
    'operation-not-found: operationId "cafe-api.deleteEverything" not found; a source is named with a runtime expression ($sourceDescriptions.cafe-api.<operationId>), and source "cafe-api" has no operationId "deleteEverything"',
  ]);
});

test('contains: simple conditions have none; the regex criterion that tests it', () => {
  assert.deepEqual(at(`${step(0)}/successCriteria/0/condition`), [
    'condition-invalid: unknown word "contains": a simple condition has no contains operator; test the text with a regex criterion: context: $response.body#/url, type: regex, condition: httpbin',
  ]);
});

test('an unquoted media type is quoted whole', () => {
  assert.deepEqual(at(`${step(0)}/successCriteria/1/condition`), [
    'condition-invalid: unknown word "application/json" (a string literal is written in single quotes: \'application/json\')',
  ]);
});

test('nothing else is an error', () => {
  const pointers = new Set([
    `${step(0)}/operationId`,
    `${step(1)}/operationId`,
    `${step(2)}/operationId`,
    `${step(0)}/successCriteria/0/condition`,
    `${step(0)}/successCriteria/1/condition`,
  ]);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error' && !pointers.has(d.pointer)),
    [],
  );
});
