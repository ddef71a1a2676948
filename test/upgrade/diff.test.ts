/** `unifiedDiff`: the `diff -u` text `arazzo upgrade` prints. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines, unifiedDiff } from '../../src/upgrade/diff.js';

const lines = (n: number): string[] => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

const cases: readonly { name: string; before: string; after: string; diff: string }[] = [
  { name: 'equal texts', before: 'a\nb\n', after: 'a\nb\n', diff: '' },
  {
    name: 'one line changed',
    before: 'a\nb\nc\n',
    after: 'a\nB\nc\n',
    diff: '--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n',
  },
  {
    name: 'a line removed at the end',
    before: 'a\nb\n',
    after: 'a\n',
    diff: '--- x\n+++ y\n@@ -1,2 +1 @@\n a\n-b\n',
  },
  {
    name: 'a line added to an empty file',
    before: '',
    after: 'a\n',
    diff: '--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n',
  },
  {
    name: 'two changes far apart: two hunks',
    before: `${lines(20).join('\n')}\n`,
    after: `${lines(20)
      .map((l, i) => (i === 1 || i === 17 ? `${l}!` : l))
      .join('\n')}\n`,
    diff: [
      '--- x',
      '+++ y',
      '@@ -1,5 +1,5 @@',
      ' line 1',
      '-line 2',
      '+line 2!',
      ' line 3',
      ' line 4',
      ' line 5',
      '@@ -15,6 +15,6 @@',
      ' line 15',
      ' line 16',
      ' line 17',
      '-line 18',
      '+line 18!',
      ' line 19',
      ' line 20',
      '',
    ].join('\n'),
  },
  {
    name: 'no newline at the end',
    before: 'a\nb',
    after: 'a\nc',
    diff: '--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
  },
];

for (const c of cases) {
  test(`unified diff: ${c.name}`, () => {
    assert.equal(unifiedDiff(c.before, c.after, 'x', 'y'), c.diff);
  });
}

test('diffLines is a shortest edit script that rebuilds both sides', () => {
  const a = ['a', 'b', 'c', 'a', 'b', 'b', 'a'];
  const b = ['c', 'b', 'a', 'b', 'a', 'c'];
  const ops = diffLines(a, b);
  assert.deepEqual(
    ops.filter((op) => op.kind !== '+').map((op) => op.line),
    a,
  );
  assert.deepEqual(
    ops.filter((op) => op.kind !== '-').map((op) => op.line),
    b,
  );
  // Myers' example: D = 5.
  assert.equal(ops.filter((op) => op.kind !== ' ').length, 5);
});
