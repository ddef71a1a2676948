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
