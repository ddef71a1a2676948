import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locate, parseSourceText, pointerTokens } from '../../src/document/source-text.js';
import { ArazzoError, formatError } from '../../src/errors.js';

const text = `arazzo: 1.0.1
workflows:
  - workflowId: a
    steps:
      - stepId: one
        operationId: op
      - stepId: "two/x~y"
`;

const rows: { pointer: string; line: number; column: number }[] = [
  { pointer: '', line: 1, column: 1 },
  { pointer: '/arazzo', line: 1, column: 1 },
  { pointer: '/workflows/0', line: 3, column: 5 },
  { pointer: '/workflows/0/steps/0/operationId', line: 6, column: 9 },
  { pointer: '/workflows/0/steps/1/stepId', line: 7, column: 9 },
  // A missing field points at its nearest existing parent.
  { pointer: '/workflows/0/steps/0/successCriteria', line: 5, column: 9 },
];
for (const row of rows) {
  test(`locate ${row.pointer || '(root)'}`, () => {
    const { source } = parseSourceText(text, 'doc.yaml');
    assert.deepEqual(locate(source, row.pointer), { line: row.line, column: row.column });
  });
}

test('pointer tokens decode ~1 then ~0 (RFC 6901 §4)', () => {
  assert.deepEqual(pointerTokens('/a~1b/c~0d/~01'), ['a/b', 'c~d', '~1']);
  assert.deepEqual(pointerTokens('#/paths/~1pets'), ['paths', '/pets']);
});

test('syntax errors are data: file and offset in the location, line and column beside, none in the message', () => {
  assert.throws(
    () => parseSourceText('a: 1\nb: [\n', 'bad.yaml'),
    (e: unknown) =>
      e instanceof ArazzoError &&
      e.code === 'YAML_SYNTAX' &&
      e.location?.file === 'bad.yaml' &&
      typeof e.location.offset === 'number' &&
      e.linePos?.line === 3 &&
      !e.message.includes('bad.yaml') &&
      /^bad\.yaml:3:\d+: /.test(formatError(e)),
  );
});

test('alias bombs are refused', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 8; i++)
    bomb.push(
      `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10)
        .fill(`*${i === 0 ? 'a' : 'bcdefghi'[i - 1]}`)
        .join(',')}]`,
    );
  assert.throws(
    () => parseSourceText(bomb.join('\n'), 'bomb.yaml'),
    (e: unknown) => e instanceof ArazzoError && e.code === 'YAML_SYNTAX',
  );
});

test('deep nesting is refused with one line, whether YAML gives up or the data is just deep', () => {
  for (const text of [
    `a: ${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    `a: ${'['.repeat(300)}${']'.repeat(300)}`,
  ]) {
    assert.throws(
      () => parseSourceText(text, 'deep.yaml'),
      (e: unknown) =>
        e instanceof ArazzoError &&
        /nested (too deeply|deeper than 256)/.test(e.message) &&
        !e.message.includes('\n'),
    );
  }
});
