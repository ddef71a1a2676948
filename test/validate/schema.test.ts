/** The vendored schema, its patches, and how ajv's errors become one diagnostic per problem. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { officialSchema, schemaFindings } from '../../src/validate/schema/schema.js';
import { patchArazzoSchema } from '../../src/validate/schema/schema-patches.js';
import { ROOT } from './helpers.js';

const base = {
  arazzo: '1.0.1',
  info: { title: 't', version: '1' },
  sourceDescriptions: [{ name: 'api', url: './api.yaml', type: 'openapi' }],
};

function doc(steps: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { ...base, workflows: [{ workflowId: 'w', steps }], ...extra };
}

function findings(data: unknown): [string, string][] {
  return schemaFindings(data).map((f) => [f.pointer, f.message]);
}

test('the vendored schema is the pristine 2025-10-15 file', () => {
  const text = readFileSync(`${ROOT}src/validate/schema/arazzo-1.0.schema.json`);
  assert.equal(
    createHash('sha256').update(text).digest('hex'),
    'b8715bd824fffcb2accf5077977d37c9e7a15be60d785e7a3a51cf600fd46ad4',
  );
  assert.equal(
    (officialSchema() as { $id: string }).$id,
    'https://spec.openapis.org/arazzo/1.0/schema/2025-10-15',
  );
});

test('the vendored 1.1 schema is the pristine 2026-04-15 file', () => {
  const text = readFileSync(`${ROOT}src/validate/schema/arazzo-1.1.schema.json`);
  assert.equal(
    createHash('sha256').update(text).digest('hex'),
    '37be908409bdb2f7bffe61fa23685c7e84cbeebfafac475a1d01dbc50ff7ab9e',
  );
  assert.equal(
    (officialSchema('1.1') as { $id: string }).$id,
    'https://spec.openapis.org/arazzo/1.1/schema/2026-04-15',
  );
});

test('a patch refuses a schema whose shape changed', () => {
  const changed = structuredClone(officialSchema()) as {
    $defs: Record<string, Record<string, unknown>>;
  };
  delete changed.$defs['criterion-object']?.['anyOf'];
  assert.throws(
    () => patchArazzoSchema(changed),
    /unexpected upstream shape at criterion-object\.anyOf/,
  );
});

test('spec-correct forms the official schema rejects are accepted', () => {
  const step = {
    stepId: 's',
    operationId: 'op',
    parameters: [{ reference: '$components.parameters.p', note: 'ignored' }],
    requestBody: { payload: { a: 1 }, replacements: [{ target: '/a', value: 2 }] },
    successCriteria: [
      { condition: '$statusCode == 200', type: 'simple' },
      {
        context: '$response.body',
        condition: '$.a',
        type: { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
      },
      // The published schema's flattened form stays accepted.
      {
        context: '$response.body',
        condition: '$.a',
        type: 'jsonpath',
        version: 'draft-goessner-dispatch-jsonpath-00',
      },
    ],
  };
  assert.deepEqual(findings(doc([step])), []);
});

test('criterion type and context rules still hold', () => {
  const step = {
    stepId: 's',
    operationId: 'op',
    successCriteria: [
      { condition: 'x', type: 'regex' },
      {
        condition: 'x',
        context: '$response.body',
        type: { type: 'jsonpath', version: 'xpath-30' },
      },
      { condition: 'x', context: '$response.body', type: 'simple', version: 'v1' },
    ],
  };
  assert.deepEqual(findings(doc([step])), [
    ['/workflows/0/steps/0/successCriteria/0', '"context" is required when "type" is given'],
    [
      '/workflows/0/steps/0/successCriteria/1/type/version',
      '"version" must be one of "draft-goessner-dispatch-jsonpath-00", "rfc9535" (found "xpath-30")',
    ],
    [
      '/workflows/0/steps/0/successCriteria/2/type',
      '"type" must be one of "jsonpath", "xpath" (found "simple")',
    ],
  ]);
});

test('oneOf cascades collapse to one diagnostic', () => {
  const steps = [
    { stepId: 'none' },
    { stepId: 'two', operationId: 'a', workflowId: 'b' },
    { stepId: 'goto', operationId: 'a', onSuccess: [{ name: 'n', type: 'goto' }] },
    { stepId: 'action', operationId: 'a', onFailure: [{ name: 'n', type: 'retri' }] },
    { stepId: 'reusable', operationId: 'a', onFailure: [{ reference: 5 }] },
  ];
  assert.deepEqual(findings(doc(steps)), [
    [
      '/workflows/0/steps/0',
      'the step needs exactly one of "operationId", "operationPath" or "workflowId"',
    ],
    [
      '/workflows/0/steps/1',
      'the step has "operationId" and "workflowId"; exactly one of "operationId", "operationPath" or "workflowId" is allowed',
    ],
    [
      '/workflows/0/steps/2/onSuccess/0',
      'the success action needs exactly one of "workflowId" or "stepId"',
    ],
    [
      '/workflows/0/steps/3/onFailure/0/type',
      '"type" must be one of "end", "goto", "retry" (found "retri") (did you mean "retry"?)',
    ],
    ['/workflows/0/steps/4/onFailure/0/reference', '"reference" must be a string (found number 5)'],
  ]);
});

test('a step or action that is not an object is one type error, not a list of fields it lacks', () => {
  const steps = [null, { stepId: 's', operationId: 'a', onFailure: [42] }];
  assert.deepEqual(findings(doc(steps)), [
    ['/workflows/0/steps/0', '"0" must be an object (found null)'],
    ['/workflows/0/steps/1/onFailure/0', '"0" must be an object (found number 42)'],
  ]);
});

test('collapsing a oneOf keeps the other problems of the same object', () => {
  assert.deepEqual(
    findings(doc([{ description: 'no id, no target' }])).sort(),
    [
      ['/workflows/0/steps/0', 'the step is missing the required field "stepId"'],
      [
        '/workflows/0/steps/0',
        'the step needs exactly one of "operationId", "operationPath" or "workflowId"',
      ],
    ].sort(),
  );
});

test('unknown fields point at the field and suggest the known one', () => {
  assert.deepEqual(findings(doc([{ stepId: 's', operationId: 'a', sucessCriteria: [] }])), [
    [
      '/workflows/0/steps/0/sucessCriteria',
      'unknown field "sucessCriteria" in the step (did you mean "successCriteria"?)',
    ],
  ]);
});

test('duplicate items point at the later copy, whatever the key order', () => {
  const data = doc([{ stepId: 's', operationId: 'a' }], {
    sourceDescriptions: [
      { name: 'api', url: './a.yaml' },
      { url: './a.yaml', name: 'api' },
    ],
  });
  assert.deepEqual(findings(data), [
    [
      '/sourceDescriptions/1',
      '"sourceDescriptions" has duplicate entries (#0 and #1 are identical)',
    ],
  ]);
});

test('workflow inputs are checked against the JSON Schema 2020-12 meta-schema', () => {
  const data = {
    ...base,
    workflows: [
      { workflowId: 'w', inputs: { type: 'objekt' }, steps: [{ stepId: 's', operationId: 'a' }] },
    ],
  };
  const [finding, ...rest] = schemaFindings(data);
  assert.equal(rest.length, 0);
  assert.equal(finding?.pointer, '/workflows/0/inputs/type');
  assert.match(finding?.message ?? '', /did you mean "object"/);
});

test('the upstream schema-test documents keep their verdicts', () => {
  const pass = parse(
    readFileSync(
      `${ROOT}test/fixtures/validate/upstream/schema-tests/pass/pet-coupons-example.yaml`,
      'utf8',
    ),
  ) as unknown;
  assert.deepEqual(findings(pass), []);
  assert.deepEqual(findings([1, 2]), [['', 'the document must be an object (found an array)']]);
});

test('a 1.1 construct in a 1.0 document is refused with a hint to set arazzo: 1.1.0', () => {
  const step = {
    stepId: 's',
    operationId: 'op',
    timeout: 100,
    outputs: { id: { context: '$response.body', selector: '$.id', type: 'jsonpath' } },
    parameters: [{ name: 'q', in: 'querystring', value: 'a=b' }],
    onSuccess: [{ name: 'go', type: 'goto', workflowId: 'w', parameters: [] }],
  };
  const hint = ': it is Arazzo 1.1 (set "arazzo: 1.1.0" to use it)';
  const data = { ...(doc([step]) as object), $self: 'https://example.com/a.yaml' };
  assert.deepEqual(findings(data).sort(), [
    ['/$self', `unknown field "$self" in the document${hint}`],
    [
      '/workflows/0/steps/0/onSuccess/0/parameters',
      `unknown field "parameters" in the success action${hint}`,
    ],
    [
      '/workflows/0/steps/0/outputs/id',
      '"id" must be a string (found an object): a Selector Object is Arazzo 1.1 (set "arazzo: 1.1.0" to use it)',
    ],
    [
      '/workflows/0/steps/0/parameters/0/in',
      `"in" must be one of "path", "query", "header", "cookie" (found "querystring")${hint}`,
    ],
    ['/workflows/0/steps/0/timeout', `unknown field "timeout" in the step${hint}`],
  ]);
  // The same document as 1.1 passes, and an unknown field of neither version gets no hint.
  assert.deepEqual(schemaFindings({ ...data, arazzo: '1.1.0' }, '1.1'), []);
  assert.deepEqual(findings(doc([{ stepId: 's', operationId: 'op', timeOut: 1 }])), [
    [
      '/workflows/0/steps/0/timeOut',
      'unknown field "timeOut" in the step (extensions must start with "x-")',
    ],
  ]);
});
