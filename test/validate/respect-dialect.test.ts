/**
 * Forms of Redocly Respect's dialect that `validate` refuses with the Arazzo form to write
 * (POSITIONS §12.3); the accepted extensions have fixtures (test/fixtures/validate/extensions-respect).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateFile } from '../../src/validate/index.js';

const child = `arazzo: 1.0.1
info: { title: child, version: 1.0.0 }
sourceDescriptions: []
workflows:
  - workflowId: child
    steps: []
`;

const parent = (workflowId: string): string => `arazzo: 1.0.1
info: { title: parent, version: 1.0.0 }
sourceDescriptions:
  - name: other
    url: ./child.arazzo.yaml
    type: arazzo
workflows:
  - workflowId: main
    steps:
      - stepId: nested
        workflowId: ${workflowId}
`;

async function workflowMessages(workflowId: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-respect-'));
  try {
    writeFileSync(join(dir, 'child.arazzo.yaml'), child);
    writeFileSync(join(dir, 'parent.arazzo.yaml'), parent(workflowId));
    const result = await validateFile(join(dir, 'parent.arazzo.yaml'), { resolveRemote: false });
    return result.diagnostics.filter((d) => d.code === 'workflow-not-found').map((d) => d.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('$sourceDescriptions.<name>.workflows.<id> is refused with the Arazzo form', async () => {
  assert.deepEqual(await workflowMessages('$sourceDescriptions.other.workflows.child'), [
    `source "other" has no workflow "workflows.child"; "workflows." is Redocly Respect's form, Arazzo's is $sourceDescriptions.other.child`,
  ]);
  assert.deepEqual(await workflowMessages('$sourceDescriptions.other.child'), []);
  // No such workflow either way: no rewrite to suggest.
  const [message] = await workflowMessages('$sourceDescriptions.other.workflows.nope');
  assert.doesNotMatch(message ?? '', /Respect/);
});

test('$inputs.env.NAME (Respect reads the environment there) stays undeclared, with the Arazzo way', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-respect-'));
  try {
    const file = join(dir, 'env.arazzo.yaml');
    writeFileSync(
      file,
      `arazzo: 1.0.1
info: { title: env, version: 1.0.0 }
sourceDescriptions: []
workflows:
  - workflowId: main
    inputs: { type: object, properties: { token: { type: string } } }
    steps:
      - stepId: nested
        workflowId: other
        parameters:
          - { name: token, value: $inputs.env.AUTH_TOKEN }
          - { name: plain, value: $inputs.envelope }
  - workflowId: other
    inputs: { type: object, properties: { token: { type: string }, plain: { type: string } } }
    steps: []
`,
    );
    const result = await validateFile(file, { resolveRemote: false });
    const messages = result.diagnostics
      .filter((d) => d.code === 'input-not-declared')
      .map((d) => d.message);
    assert.equal(messages.length, 2, messages.join('\n'));
    assert.match(
      messages[0] ?? '',
      /^\$inputs\.env\.AUTH_TOKEN: workflow "main" declares no input "env\.AUTH_TOKEN"; Redocly Respect reads \$inputs\.env\.\* from the environment, arazzo run does not: declare an input and pass the variable to it \(arazzo run --input name="\$AUTH_TOKEN"\)$/,
    );
    // Only the env. prefix is Respect's.
    assert.doesNotMatch(messages[1] ?? '', /Respect/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
