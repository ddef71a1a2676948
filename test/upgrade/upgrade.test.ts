/** `upgradeText`: each 1.0 → 1.1 conversion and refusal (POSITIONS §11.5), table-driven. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { upgradeText } from '../../src/upgrade/index.js';

/** A 1.0.1 document whose one step ends with `body` (indented 8 spaces). */
const doc = (body: string, version = '1.0.1'): string => `arazzo: ${version}
info: {title: t, version: '1'}
sourceDescriptions: [{name: api, url: ./api.yaml, type: openapi}]
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: op
${body}`;

interface Conversion {
  readonly name: string;
  readonly input: string;
  /** Lines that the output has instead of the input's (compared on the whole text). */
  readonly output: string;
  /** The change lines reported, after the version bump. */
  readonly changes: readonly string[];
}

const conversions: readonly Conversion[] = [
  {
    name: 'the version only',
    input: doc(''),
    output: doc('', '1.1.0'),
    changes: [],
  },
  {
    name: 'a quoted version keeps its quotes',
    input: doc('').replace('arazzo: 1.0.1', 'arazzo: "1.0.0"'),
    output: doc('').replace('arazzo: 1.0.1', 'arazzo: "1.1.0"'),
    changes: [],
  },
  {
    name: 'flat jsonpath type + version → nested, comments elsewhere kept',
    input: doc(`        successCriteria:
          - context: $response.body   # the body
            condition: $.items[0]
            type: jsonpath
            version: draft-goessner-dispatch-jsonpath-00
          - condition: $statusCode == 200
`),
    output: doc(
      `        successCriteria:
          - context: $response.body   # the body
            condition: $.items[0]
            type: { type: jsonpath, version: draft-goessner-dispatch-jsonpath-00 }
          - condition: $statusCode == 200
`,
      '1.1.0',
    ),
    changes: [
      '12 /workflows/0/steps/0/successCriteria/0/type type: jsonpath + version: draft-goessner-dispatch-jsonpath-00',
    ],
  },
  {
    name: 'flat, version first in the sequence item: the nested type takes its place',
    input: doc(`        successCriteria:
          - version: xpath-30
            context: $response.body
            condition: /a
            type: xpath
`),
    output: doc(
      `        successCriteria:
          - type: { type: xpath, version: xpath-30 }
            context: $response.body
            condition: /a
`,
      '1.1.0',
    ),
    changes: ['13 /workflows/0/steps/0/successCriteria/0/type type: xpath + version: xpath-30'],
  },
  {
    name: 'flat in a flow mapping',
    input: doc(`        successCriteria:
          - {context: $response.body, condition: /a, type: xpath, version: xpath-20}
`),
    output: doc(
      `        successCriteria:
          - {context: $response.body, condition: /a, type: { type: xpath, version: xpath-20 }}
`,
      '1.1.0',
    ),
    changes: ['10 /workflows/0/steps/0/successCriteria/0/type type: xpath + version: xpath-20'],
  },
  {
    name: 'flat in an action criterion and in components',
    input: `arazzo: 1.0.1
info: {title: t, version: '1'}
sourceDescriptions: [{name: api, url: ./api.yaml}]
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: op
        onFailure:
          - name: retry
            type: retry
            criteria:
              - context: $response.body
                condition: $.error
                type: jsonpath
                version: rfc9535
components:
  successActions:
    done:
      name: done
      type: end
      criteria:
        - context: $response.body
          condition: //ok
          type: xpath
          version: xpath-10
`,
    output: `arazzo: 1.1.0
info: {title: t, version: '1'}
sourceDescriptions: [{name: api, url: ./api.yaml}]
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: op
        onFailure:
          - name: retry
            type: retry
            criteria:
              - context: $response.body
                condition: $.error
                type: { type: jsonpath, version: rfc9535 }
components:
  successActions:
    done:
      name: done
      type: end
      criteria:
        - context: $response.body
          condition: //ok
          type: { type: xpath, version: xpath-10 }
`,
    changes: [
      '15 /workflows/0/steps/0/onFailure/0/criteria/0/type type: jsonpath + version: rfc9535',
      '25 /components/successActions/done/criteria/0/type type: xpath + version: xpath-10',
    ],
  },
  {
    name: 'nested type with the same version beside it: the sibling goes',
    input: doc(`        successCriteria:
          - context: $response.body
            condition: /a
            type: {type: xpath, version: xpath-20}
            version: xpath-20
`),
    output: doc(
      `        successCriteria:
          - context: $response.body
            condition: /a
            type: {type: xpath, version: xpath-20}
`,
      '1.1.0',
    ),
    changes: ['13 /workflows/0/steps/0/successCriteria/0/version removed version'],
  },
  {
    name: 'inputs by $ref, a literal object without selector, 1.0 errors: unchanged',
    input: doc(`        parameters:
          - name: q
            in: query
            value: {page: 1}
          - name: broken
            in: query
            value: $steps..outputs
    inputs:
      $ref: '#/components/inputs/pagination'
components:
  inputs:
    pagination: {type: object}
`),
    output: doc(
      `        parameters:
          - name: q
            in: query
            value: {page: 1}
          - name: broken
            in: query
            value: $steps..outputs
    inputs:
      $ref: '#/components/inputs/pagination'
components:
  inputs:
    pagination: {type: object}
`,
      '1.1.0',
    ),
    changes: [],
  },
  {
    name: 'JSON stays JSON, its layout kept',
    input: `{
  "arazzo": "1.0.1",
  "info": {"title": "t", "version": "1"},
  "sourceDescriptions": [{"name": "api", "url": "./api.yaml"}],
  "workflows": [{"workflowId": "w", "steps": [{"stepId": "s", "operationId": "op",
    "successCriteria": [
      {
        "version": "xpath-30",
        "context": "$response.body",
        "condition": "/a",
        "type": "xpath"
      },
      {
        "context": "$response.body",
        "condition": "/a",
        "type": "xpath",
        "version": "xpath-30"
      }
    ]}]}]
}
`,
    output: `{
  "arazzo": "1.1.0",
  "info": {"title": "t", "version": "1"},
  "sourceDescriptions": [{"name": "api", "url": "./api.yaml"}],
  "workflows": [{"workflowId": "w", "steps": [{"stepId": "s", "operationId": "op",
    "successCriteria": [
      {
        "context": "$response.body",
        "condition": "/a",
        "type": { "type": "xpath", "version": "xpath-30" }
      },
      {
        "context": "$response.body",
        "condition": "/a",
        "type": { "type": "xpath", "version": "xpath-30" }
      }
    ]}]}]
}
`,
    changes: [
      '11 /workflows/0/steps/0/successCriteria/0/type type: xpath + version: xpath-30',
      '16 /workflows/0/steps/0/successCriteria/1/type type: xpath + version: xpath-30',
    ],
  },
];

for (const c of conversions) {
  test(`converts: ${c.name}`, () => {
    const result = upgradeText(c.input);
    assert.deepEqual(result.refusals, []);
    assert.equal(result.status, 'upgraded');
    assert.equal(result.text, c.output);
    const changes = result.changes.map(
      (change) => `${change.line} ${change.pointer} ${change.message}`,
    );
    assert.match(changes[0] ?? '', /^\d+ \/arazzo arazzo: 1\.0\.\d → 1\.1\.0$/);
    assert.equal(changes.length, c.changes.length + 1, changes.join('\n'));
    c.changes.forEach((expected, i) =>
      assert.ok(changes[i + 1]?.startsWith(expected), changes[i + 1]),
    );
    assert.equal((parse(result.text) as { arazzo: string }).arazzo, '1.1.0');
  });
}

interface Refusal {
  readonly name: string;
  readonly input: string;
  /** `line pointer` and a fragment of the reason, one per refusal. */
  readonly refusals: readonly [string, RegExp][];
}

const refusals: readonly Refusal[] = [
  {
    name: '$components.inputs as a parameter value and in a condition',
    input: doc(`        parameters:
          - name: p
            in: query
            value: $components.inputs.pagination
        successCriteria:
          - condition: $components.inputs.x == 1
`),
    refusals: [
      [
        '12 /workflows/0/steps/0/parameters/0/value',
        /\$components\.inputs\.<name> is not a runtime expression in 1\.1/,
      ],
      ['14 /workflows/0/steps/0/successCriteria/0/condition', /#\/components\/inputs\/<name>/],
    ],
  },
  {
    name: '$components.inputs embedded in a payload and as an output',
    input: doc(`        requestBody:
          payload: 'schema: {$components.inputs.pagination}'
        outputs:
          schema: $components.inputs.pagination
`),
    refusals: [
      ['10 /workflows/0/steps/0/requestBody/payload', /is not a runtime expression in 1\.1/],
      ['12 /workflows/0/steps/0/outputs/schema', /is not a runtime expression in 1\.1/],
    ],
  },
  {
    name: '$self and $message are literal text in 1.0',
    input: doc(`        parameters:
          - name: p
            in: query
            value: $self
          - name: q
            in: header
            value: 'id {$message.payload}'
        successCriteria:
          - context: $response.body
            condition: '$[?@.self == "{$self}"]'
            type: jsonpath
`),
    refusals: [
      ['12 /workflows/0/steps/0/parameters/0/value', /\$self is literal text in 1\.0/],
      ['15 /workflows/0/steps/0/parameters/1/value', /\$message is literal text in 1\.0/],
      ['18 /workflows/0/steps/0/successCriteria/0/condition', /\$self is literal text/],
    ],
  },
  {
    name: 'literal objects with a selector field',
    input: doc(`        parameters:
          - name: p
            in: query
            value: {selector: a, context: b}
        requestBody:
          payload:
            items: [{selector: x}]
          replacements:
            - target: /a
              value:
                selector: y
`),
    refusals: [
      ['12 /workflows/0/steps/0/parameters/0/value', /Selector Object/],
      ['15 /workflows/0/steps/0/requestBody/payload/items/0', /Selector Object/],
      ['19 /workflows/0/steps/0/requestBody/replacements/0/value', /Selector Object/],
    ],
  },
  {
    name: 'a component parameter with a selector value',
    input: `${doc('')}components:
  parameters:
    p:
      name: p
      in: query
      value: {selector: $.a}
`,
    refusals: [['14 /components/parameters/p/value', /Selector Object/]],
  },
  {
    name: 'another version',
    input: doc('', '2.0.0'),
    refusals: [['1 /arazzo', /"2\.0\.0": only a 1\.0\.x document can be upgraded/]],
  },
  {
    name: 'no version',
    input: 'info: {title: t}\n',
    refusals: [['1 /arazzo', /missing/]],
  },
  {
    name: 'not YAML',
    input: 'arazzo: 1.0.1\ninfo: [\n',
    refusals: [['3 ', /not readable as YAML or JSON/]],
  },
  {
    name: 'not a mapping',
    input: '- arazzo\n',
    refusals: [['1 ', /not a mapping/]],
  },
];

for (const r of refusals) {
  test(`refuses: ${r.name}`, () => {
    const result = upgradeText(r.input);
    assert.equal(result.status, 'refused');
    assert.equal(result.text, r.input, 'nothing changed');
    assert.deepEqual(result.changes, []);
    assert.equal(result.refusals.length, r.refusals.length, JSON.stringify(result.refusals));
    r.refusals.forEach(([where, reason], i) => {
      const refusal = result.refusals[i];
      assert.equal(`${refusal?.line} ${refusal?.pointer}`, where);
      assert.match(refusal?.message ?? '', reason);
    });
  });
}

test('a 1.1.x document is current: nothing to change', () => {
  const input = doc('', '1.1.0');
  const result = upgradeText(input);
  assert.equal(result.status, 'current');
  assert.equal(result.text, input);
  assert.deepEqual(result.changes, []);
  assert.deepEqual(result.refusals, []);
});

test('an anchored criterion used twice is converted once', () => {
  const input = doc(`        successCriteria:
          - &c
            context: $response.body
            condition: /a
            type: xpath
            version: xpath-30
        onSuccess:
          - name: n
            type: end
            criteria: [*c]
`);
  const result = upgradeText(input);
  assert.equal(result.status, 'upgraded', JSON.stringify(result.refusals));
  assert.equal(result.changes.length, 2);
  assert.ok(result.text.includes('type: { type: xpath, version: xpath-30 }'));
  assert.ok(result.text.includes('criteria: [*c]'));
});
