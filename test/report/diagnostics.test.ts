/** The formatters are pure functions of the results; positions inside strings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArazzoText } from '../../src/document/load-document.js';
import {
  formatGithub,
  formatHuman,
  formatJson,
  formatSarif,
} from '../../src/report/diagnostics/index.js';
import { positionOf } from '../../src/validate/positions.js';
import type { ValidationResult } from '../../src/validate/index.js';

const TEXT = `arazzo: 1.0.1
info:
  title: t
  version: '1'
plain: Bearer $inputs.x
single: 'a $inputs.x'
double: "a $inputs.x"
escaped: "a\\t$inputs.x"
block: |
  first line
  second $inputs.x
`;

const loaded = parseArazzoText(TEXT, 'doc.yaml', 'file:///doc.yaml');

test('positions: an offset inside a string maps to its column when the text allows it', () => {
  assert.deepEqual(positionOf(loaded.source, '/plain', 7), { line: 5, column: 15 });
  assert.deepEqual(positionOf(loaded.source, '/single', 2), { line: 6, column: 12 });
  assert.deepEqual(positionOf(loaded.source, '/double', 2), { line: 7, column: 12 });
  // An escape sequence shifts columns: fall back to the start of the value.
  assert.deepEqual(positionOf(loaded.source, '/escaped', 2), { line: 8, column: 10 });
  assert.deepEqual(positionOf(loaded.source, '/block', 'first line\nsecond '.length), {
    line: 11,
    column: 10,
  });
  // Without an offset: the key.
  assert.deepEqual(positionOf(loaded.source, '/plain'), { line: 5, column: 1 });
});

const result: ValidationResult = {
  valid: false,
  document: loaded,
  diagnostics: [
    {
      severity: 'error',
      code: 'input-not-declared',
      message: 'no input "x"',
      file: 'doc.yaml',
      pointer: '/plain',
      line: 5,
      column: 15,
    },
    {
      severity: 'warning',
      code: 'description-missing',
      message: '50% of a, b: c\nnext',
      file: 'doc.yaml',
      pointer: '',
      line: 1,
      column: 1,
    },
  ],
};

test('human: diagnostics, frames and summary', () => {
  assert.equal(
    formatHuman([result]),
    [
      'doc.yaml:5:15  error  input-not-declared  no input "x"',
      "  4 |   version: '1'",
      '> 5 | plain: Bearer $inputs.x',
      '    |               ^',
      'doc.yaml:1:1  warning  description-missing  50% of a, b: c\nnext',
      '> 1 | arazzo: 1.0.1',
      '    | ^',
      '',
      '✖ 1 error, 1 warning in 1 file',
      '',
    ].join('\n'),
  );
});

test('github: data and properties are escaped', () => {
  const lines = formatGithub([result]).split('\n');
  assert.equal(
    lines[0],
    '::error file=doc.yaml,line=5,col=15,title=arazzo input-not-declared::no input "x" [/plain]',
  );
  assert.equal(
    lines[1],
    '::warning file=doc.yaml,line=1,col=1,title=arazzo description-missing::50%25 of a, b: c%0Anext [/]',
  );
});

test('json and sarif', () => {
  const json = JSON.parse(formatJson([result])) as { valid: boolean; diagnostics: unknown[] };
  assert.equal(json.valid, false);
  assert.equal(json.diagnostics.length, 2);
  const sarif = JSON.parse(formatSarif([result])) as {
    runs: { results: { level: string; ruleId: string }[] }[];
  };
  assert.deepEqual(
    sarif.runs[0]?.results.map((r) => [r.ruleId, r.level]),
    [
      ['input-not-declared', 'error'],
      ['description-missing', 'warning'],
    ],
  );
});
