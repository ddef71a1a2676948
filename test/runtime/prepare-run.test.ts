import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../_helpers/cli.js';
import { prepareRun, WorkflowInvalidError } from '../../src/index.js';

const DOC = 'test/fixtures/prepare-run/two-workflows.arazzo.yaml';

test('prepareRun readies a workflow whose own checks pass, despite errors in another workflow', async () => {
  const prepared = await prepareRun(DOC, { cwd: ROOT, workflowId: 'good' });
  assert.equal(prepared.workflowId, 'good');
  assert.equal(prepared.location.index, 0);
  assert.deepEqual(prepared.inputsSchema, {
    type: 'object',
    properties: { id: { type: 'string' } },
  });
  assert.ok(prepared.scope.sources.has('api'));
});

test('prepareRun refuses a workflow with errors, the diagnostics as data and the workflow named', async () => {
  await assert.rejects(prepareRun(join(ROOT, DOC), { workflowId: 'broken' }), (error: unknown) => {
    assert.ok(error instanceof WorkflowInvalidError);
    assert.equal(error.code, 'DOCUMENT_INVALID');
    assert.equal(error.workflowId, 'broken');
    assert.match(error.message, /^workflow "broken" has 1 error; nothing was sent$/);
    assert.deepEqual(
      error.diagnostics.map((d) => [d.code, d.pointer]),
      [['operation-not-found', '/workflows/1/steps/0/operationId']],
    );
    return true;
  });
});

test('prepareRun rejects with the one-line ArazzoError of what went wrong first', async () => {
  await assert.rejects(prepareRun(DOC, { cwd: ROOT }), { code: 'WORKFLOW_AMBIGUOUS' });
  await assert.rejects(prepareRun(DOC, { cwd: ROOT, workflowId: 'nope' }), {
    code: 'WORKFLOW_NOT_FOUND',
  });
  await assert.rejects(prepareRun('test/fixtures/prepare-run/missing.yaml', { cwd: ROOT }), {
    code: 'FILE_NOT_FOUND',
    message: 'no such file',
  });
});
