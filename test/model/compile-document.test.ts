import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadDocument, parseArazzoText } from '../../src/document/load-document.js';
import { loadSources } from '../../src/sources/load-sources.js';
import { compileDocument } from '../../src/model/compile-document.js';
import type { ArazzoError } from '../../src/errors.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUN = `${ROOT}test/fixtures/run`;

async function modelOf(name: string) {
  const loaded = await loadDocument(`${RUN}/${name}/arazzo.yaml`);
  const { sources, errors } = await loadSources(loaded);
  assert.deepEqual(errors, []);
  const reported: ArazzoError[] = [];
  const model = compileDocument(loaded, sources, (error) => reported.push(error));
  return { model, reported };
}

test('a valid document: targets resolved, workflow actions merged after the step own, no errors', async () => {
  const { model, reported } = await modelOf('workflow-level-actions');
  assert.deepEqual(reported, []);
  assert.deepEqual(model.errors, []);
  const [workflow] = model.workflows;
  assert.ok(workflow);
  const two = workflow.stepById.get('two');
  assert.ok(two);
  assert.equal(two.pointer, '/workflows/0/steps/1');
  assert.equal(two.target.status, 'resolved');
  assert.ok(two.target.status === 'resolved' && two.target.kind === 'operation');
  assert.equal(two.target.operation.path, '/flaky');
  // The step's "bail" overrides the workflow's; "finish" is inherited.
  assert.deepEqual(
    two.onFailure.map((a) => [a.name, a.type, a.origin, a.pointer]),
    [['bail', 'end', 'step', '/workflows/0/steps/1/onFailure/0']],
  );
  assert.deepEqual(
    two.onSuccess.map((a) => [a.name, a.origin, a.criteria.length, a.criteria[0]?.compiled?.kind]),
    [['finish', 'workflow', 1, 'simple']],
  );
});

test('Reusable Objects: components looked up, a reference value overrides the component value', async () => {
  const { model, reported } = await modelOf('components-reusable');
  assert.deepEqual(reported, []);
  const fetch = model.workflows[0]?.steps[0];
  assert.ok(fetch);
  assert.deepEqual(
    fetch.parameters.map((p) => [p.name, p.in, p.reference, p.value?.pointer, p.value?.raw]),
    [
      [
        'id',
        'path',
        '$components.parameters.thingId',
        '/workflows/0/steps/0/parameters/0/value',
        'chosen',
      ],
      [
        'X-Trace',
        'header',
        '$components.parameters.trace',
        '/components/parameters/trace/value',
        'from-component',
      ],
    ],
  );
  assert.deepEqual(
    fetch.onSuccess.map((a) => [a.name, a.type, a.objectPointer]),
    [['stop', 'end', '/components/successActions/stop']],
  );
});

test('a workflowId step: workflow parameters are overridden by name (they are inputs)', async () => {
  const { model } = await modelOf('workflow-step-parameter-override');
  const call = model.workflowById.get('main')?.steps[0];
  assert.ok(call);
  assert.ok(call.target.status === 'resolved' && call.target.kind === 'workflow');
  assert.equal(call.target.workflow.status, 'local');
  assert.deepEqual(
    call.parameters.map((p) => [p.name, p.origin, p.value?.raw]),
    [['thing', 'step', 'from-step']],
  );
});

const BROKEN = `arazzo: 1.0.1
info: { title: broken, version: 1.0.0 }
sourceDescriptions:
  - name: api
    url: ../_shared/api.openapi.yaml
workflows:
  - workflowId: first
    steps:
      - stepId: typo
        operationId: getThng
      - stepId: none
      - stepId: two
        operationId: getThing
        workflowId: first
      - stepId: numbers
        operationPath: 7
        parameters:
          - reference: $components.parameters.absent
          - name: 5
            in: query
            value: '{$inputs.'
        successCriteria:
          - condition: $statusCode ==
          - just a string
        onSuccess:
          - name: go
            type: leap
        outputs:
          out: [not, a, string]
  - 42
  - workflowId: second
    steps:
      - stepId: fine
        workflowId: frist
`;

test('a document the schema rejects: never throws, every problem located, per workflow', async () => {
  const loaded = parseArazzoText(
    BROKEN,
    'broken.yaml',
    `file://${RUN}/workflow-level-actions/broken.yaml`,
  );
  const { sources } = await loadSources(loaded);
  const reported: ArazzoError[] = [];
  const model = compileDocument(loaded, sources, (error) => reported.push(error));
  assert.deepEqual(reported, model.errors);
  const where = (errors: readonly ArazzoError[]) =>
    errors.map((e) => `${e.code} ${e.location?.file ?? ''}#${e.location?.pointer ?? ''}`);
  assert.deepEqual(where(model.errors), [
    'OPERATION_NOT_FOUND broken.yaml#/workflows/0/steps/0/operationId',
    'DOCUMENT_INVALID broken.yaml#/workflows/0/steps/1',
    'DOCUMENT_INVALID broken.yaml#/workflows/0/steps/2',
    'DOCUMENT_INVALID broken.yaml#/workflows/0/steps/3/operationPath',
    'DOCUMENT_INVALID broken.yaml#/workflows/0/steps/3/parameters/0/reference',
    'DOCUMENT_INVALID broken.yaml#/workflows/0/steps/3/parameters/1/name',
    'EXPRESSION_INVALID broken.yaml#/workflows/0/steps/3/parameters/1/value',
    'CRITERION_INVALID broken.yaml#/workflows/0/steps/3/successCriteria/0/condition',
    'DOCUMENT_INVALID broken.yaml#/workflows/0/steps/3/successCriteria/1',
    'DOCUMENT_INVALID broken.yaml#/workflows/0/steps/3/outputs/out',
    'DOCUMENT_INVALID broken.yaml#/workflows/0/steps/3/onSuccess/0/type',
    'DOCUMENT_INVALID broken.yaml#/workflows/1',
  ]);
  const [first, second] = model.workflows;
  assert.ok(first && second);
  assert.equal(second.index, 2, 'indexes are the document positions');
  assert.equal(first.errors.length, 11);
  assert.deepEqual(second.errors, [], 'an unknown workflow is said in the target, not an error');
  assert.match(model.errors[0]?.message ?? '', /getThng.*did you mean "getThing"/);

  const [typo, none, two, numbers] = first.steps;
  assert.ok(typo?.target.status === 'unknown' && typo.target.decided);
  assert.equal(typo.target.problem.code, 'operation-not-found');
  assert.equal(none?.target.status, 'missing');
  assert.equal(two?.target.status, 'missing');
  assert.equal(numbers?.target.status, 'missing');
  assert.deepEqual(
    numbers?.parameters.map((p) => [p.resolved, p.name, p.value?.compiled]),
    [
      [false, undefined, undefined],
      [true, undefined, undefined],
    ],
  );
  const fine = second.steps[0];
  assert.ok(fine?.target.status === 'unknown' && fine.target.kind === 'workflow');
  assert.match(fine.target.problem.message, /did you mean "first"/);
});

test('without sources, operations are unknown and undecided, not missing', () => {
  const loaded = parseArazzoText(
    BROKEN,
    'broken.yaml',
    `file://${RUN}/workflow-level-actions/broken.yaml`,
  );
  const model = compileDocument(loaded);
  const typo = model.workflows[0]?.steps[0];
  assert.ok(typo?.target.status === 'unknown');
  assert.equal(typo.target.decided, false);
  assert.equal(typo.target.problem.code, 'source-not-loaded');
});

test('not even a mapping: an empty model', () => {
  const model = compileDocument({ file: 'x.yaml', document: [1, 2] as never, version: '1.0' });
  assert.deepEqual(model.workflows, []);
  assert.deepEqual(model.errors, []);
});
