import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runArazzo } from '../_helpers/cli.js';

// --help everywhere, with examples; a suggestion for a mistyped command or flag (exit 2).

for (const command of ['run', 'validate', 'describe', 'graph']) {
  test(`arazzo ${command} --help shows its usage and examples`, async () => {
    const run = await runArazzo([command, '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, new RegExp(`Usage: arazzo ${command}`));
    assert.match(run.stdout, /Examples:\n {2}\$ arazzo /);
  });
}

test('arazzo --help lists the commands', async () => {
  const run = await runArazzo(['--help']);
  assert.equal(run.code, 0);
  for (const command of ['run', 'validate', 'describe', 'graph'])
    assert.match(run.stdout, new RegExp(`\\n {2}${command} `));
});

const typos: { args: string[]; suggestion: RegExp }[] = [
  { args: ['rnu'], suggestion: /unknown command 'rnu'\n\(Did you mean run\?\)/ },
  {
    args: ['run', 'workflows/resume.yml', '--inptu', 'a=1'],
    suggestion: /unknown option '--inptu'\n\(Did you mean --input\?\)/,
  },
  { args: ['validate', 'x.yml', '--fromat', 'json'], suggestion: /Did you mean --format\?/ },
];
for (const row of typos) {
  test(`a typo gets a suggestion and exit 2: ${row.args.join(' ')}`, async () => {
    const run = await runArazzo(row.args);
    assert.equal(run.code, 2);
    assert.match(run.stderr, row.suggestion);
  });
}
