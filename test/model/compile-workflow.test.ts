import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseArazzoText } from '../../src/document/load-document.js';
import { ArazzoError } from '../../src/errors.js';
import { loadSources } from '../../src/sources/load-sources.js';
import { compileWorkflow } from '../../src/runtime/compile.js';
import { createScope, type DocumentScope } from '../../src/runtime/scope.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const URL_BASE = `file://${ROOT}test/fixtures/run/workflow-level-actions/doc.yaml`;

async function scopeOf(text: string): Promise<DocumentScope> {
  const loaded = parseArazzoText(text, 'doc.yaml', URL_BASE);
  const { sources } = await loadSources(loaded);
  return createScope(loaded, sources);
}

const HEAD = `arazzo: 1.0.1
info: { title: t, version: 1.0.0 }
sourceDescriptions:
  - name: api
    url: ../_shared/api.openapi.yaml
    type: openapi
`;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}

test('compileWorkflow: a malformed step is a located ArazzoError, not a JavaScript error', async () => {
  const scope = await scopeOf(`${HEAD}workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: 5
`);
  const error = thrown(() => compileWorkflow(scope, 0));
  assert.ok(error instanceof ArazzoError, String(error));
  assert.equal(error.code, 'DOCUMENT_INVALID');
  assert.deepEqual(error.location, {
    file: 'doc.yaml',
    pointer: '/workflows/0/steps/0/operationId',
  });
});

test('compileWorkflow: a broken component is reported where it is written, for the workflow using it', async () => {
  const scope = await scopeOf(`${HEAD}workflows:
  - workflowId: uses
    steps:
      - stepId: s
        operationId: getThing
        parameters:
          - reference: $components.parameters.id
  - workflowId: other
    steps:
      - stepId: t
        operationId: getStatus
components:
  parameters:
    id:
      name: id
      in: path
      value: '{$inputs.'
`);
  const error = thrown(() => compileWorkflow(scope, 0));
  assert.ok(error instanceof ArazzoError, String(error));
  assert.equal(error.code, 'EXPRESSION_INVALID');
  assert.equal(error.location?.pointer, '/components/parameters/id/value');
  // The other workflow does not use it and compiles.
  assert.equal(compileWorkflow(scope, 1).steps[0]?.target.kind, 'operation');
});

test('compileWorkflow: an unresolved operation names the operation, with a suggestion', async () => {
  const scope = await scopeOf(`${HEAD}workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationPath: '{$sourceDescriptions.api.url}#/paths/~1things~1{id}'
`);
  const error = thrown(() => compileWorkflow(scope, 0));
  assert.ok(error instanceof ArazzoError, String(error));
  assert.equal(error.code, 'OPERATION_NOT_FOUND');
  assert.equal(error.location?.pointer, '/workflows/0/steps/0/operationPath');
  assert.match(error.message, /stops at the path item \/things\/\{id\}; add the HTTP method/);
});
