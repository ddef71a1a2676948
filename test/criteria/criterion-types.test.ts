/**
 * regex, jsonpath (RFC 9535 and Goessner, plus the comparison compatibility form) and xpath
 * criteria; the Criterion Expression Type Object in both shapes; versions; `{$…}` substitution;
 * compile errors; and "evaluation never throws".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileCriterion,
  CriterionError,
  evaluateCriterion,
  type CompiledCriterion,
  type CriterionErrorCode,
  type CriterionNoteCode,
} from '../../src/criteria/index.js';
import type { Criterion } from '../../src/document/types.js';
import type { RuntimeContext } from '../../src/expressions/index.js';
import { ctx, withResponse } from '../expressions/context-fixture.js';

const GOESSNER = { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' } as const;
const xml =
  '<root><pets><pet id="1">a</pet><pet id="2">b</pet></pets><price>5</price><empty/></root>';
const xmlContext = withResponse(xml, 200, { 'content-type': 'application/xml' });
const arrayBody = withResponse([
  { status: 'running', pets: [1] },
  { status: 'done', pets: [] },
]);
const objectPets = withResponse({ pets: [1, 2] });
const withInputs = (inputs: Record<string, unknown>): RuntimeContext => ({
  ...ctx,
  inputs: { ...ctx.inputs, ...inputs },
});

const rows: {
  name: string;
  criterion: Criterion;
  passed: boolean;
  context?: RuntimeContext;
  reason?: RegExp;
}[] = [
  // regex: ECMAScript with `u`, unanchored, on the context as text.
  {
    name: 'regex: the spec example',
    criterion: { context: '$statusCode', type: 'regex', condition: '^200$' },
    passed: true,
  },
  {
    name: 'regex: 2xx',
    criterion: { context: '$statusCode', type: 'regex', condition: '^2\\d{2}$' },
    passed: true,
  },
  {
    name: 'regex: no match says what was matched',
    criterion: { context: '$statusCode', type: 'regex', condition: '^200$' },
    passed: false,
    context: withResponse({}, 404),
    reason: /^context \$statusCode is 404, which does not match \/\^200\$\/u$/,
  },
  {
    name: 'regex: unanchored',
    criterion: { context: '$response.body#/status', type: 'regex', condition: 'unn' },
    passed: true,
  },
  {
    name: 'regex: case-sensitive',
    criterion: { context: '$response.body#/status', type: 'regex', condition: '^running$' },
    passed: false,
  },
  {
    name: 'regex: unicode property (u flag)',
    criterion: { context: '$response.body#/status', type: 'regex', condition: '^\\p{Lu}' },
    passed: true,
  },
  {
    name: 'regex: boolean context as text',
    criterion: { context: '$response.body#/ok', type: 'regex', condition: '^true$' },
    passed: true,
  },
  {
    name: 'regex: array context as JSON',
    criterion: { context: '$response.body#/tags', type: 'regex', condition: '^\\["x","y"\\]$' },
    passed: true,
  },
  {
    name: 'regex: header',
    criterion: {
      context: '$response.header.content-type',
      type: 'regex',
      condition: '^application/json',
    },
    passed: true,
  },
  {
    name: 'regex: null context fails',
    criterion: { context: '$response.body#/error', type: 'regex', condition: '.*' },
    passed: false,
    reason: /is null/,
  },
  {
    name: 'regex: missing context fails',
    criterion: { context: '$response.body#/nope', type: 'regex', condition: '.*' },
    passed: false,
    reason: /context \$response.body#\/nope is undefined/,
  },
  {
    name: 'regex: {$…} substitution',
    criterion: { context: '$inputs.username', type: 'regex', condition: '^{$inputs.username}$' },
    passed: true,
  },
  {
    name: 'regex: quantifier braces stay regex',
    criterion: { context: '$response.body#/id', type: 'regex', condition: '^0{2}4' },
    passed: true,
  },
  {
    name: 'regex: a bad pattern after substitution fails with a reason',
    criterion: { context: '$inputs.username', type: 'regex', condition: '{$inputs.pattern}' },
    passed: false,
    context: withInputs({ pattern: '(' }),
    reason: /Unterminated group/,
  },
  {
    name: 'regex: an unresolved substitution fails with a reason',
    criterion: { context: '$inputs.username', type: 'regex', condition: '^{$inputs.nope}' },
    passed: false,
    reason: /\{\$inputs.nope\} in the condition is undefined/,
  },
  // jsonpath, RFC 9535 (default): pass = non-empty nodelist.
  {
    name: 'jsonpath: existence query',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.status' },
    passed: true,
  },
  {
    name: 'jsonpath: missing member',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.nope' },
    passed: false,
    reason: /^\$\.nope selects no nodes in context \$response\.body$/,
  },
  {
    name: 'jsonpath: a null member is a node',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.error' },
    passed: true,
  },
  {
    name: 'jsonpath: non-empty array',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.items[*]' },
    passed: true,
  },
  {
    name: 'jsonpath: filter',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.items[?@.id == 2]' },
    passed: true,
  },
  {
    name: 'jsonpath: filter matching nothing',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.items[?@.id > 5]' },
    passed: false,
  },
  {
    name: 'jsonpath: RFC 9535 strings are case-sensitive',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      condition: "$[?$.status == 'running']",
    },
    passed: false,
  },
  {
    name: 'jsonpath: root reference in a filter',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      condition: "$[?$.status == 'Running']",
    },
    passed: true,
  },
  {
    name: 'jsonpath: function extension',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$[?length(@) == 2]' },
    passed: true,
  },
  {
    name: 'jsonpath: spec example on an array of objects',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$[?count(@.pets) > 0]' },
    passed: true,
    context: arrayBody,
  },
  {
    name: 'jsonpath: spec example on an object (children semantics)',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$[?count(@.pets) > 0]' },
    passed: false,
    context: objectPets,
    reason: /root filter \$\[\?…\] tests its member values/,
  },
  {
    name: 'jsonpath: {$…} substitution',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      condition: '$.items[?@.id == {$inputs.threshold}]',
    },
    passed: true,
  },
  {
    name: 'jsonpath: the 1.1 example with quotes around the substitution',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      condition: '$[?(@.status == "{$inputs.expected}")]',
    },
    passed: true,
    context: { ...arrayBody, inputs: { expected: 'running' } },
  },
  {
    name: 'jsonpath: an invalid query after substitution fails with a reason',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      condition: '$.items[{$inputs.username}]',
    },
    passed: false,
    reason: /invalid JSONPath/,
  },
  {
    name: 'jsonpath: null context fails',
    criterion: { context: '$response.body#/error', type: 'jsonpath', condition: '$' },
    passed: false,
    reason: /is null/,
  },
  {
    name: 'jsonpath: missing context fails',
    criterion: { context: '$response.body#/nope', type: 'jsonpath', condition: '$' },
    passed: false,
    reason: /is undefined/,
  },
  {
    name: 'jsonpath: a string context is a JSON value',
    criterion: { context: '$response.body#/status', type: 'jsonpath', condition: '$' },
    passed: true,
  },
  {
    name: 'jsonpath: explicit rfc9535 version',
    criterion: {
      context: '$response.body',
      type: { type: 'jsonpath', version: 'rfc9535' },
      condition: '$.count',
    },
    passed: true,
  },
  // The comparison form (SPEC-NOTES §5.3).
  {
    name: 'comparison form: ==',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.status == "Running"' },
    passed: true,
  },
  {
    name: 'comparison form: == is case-sensitive (RFC 9535) and says why',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.status == "running"' },
    passed: false,
    reason: /^\$\.status == "running", but \$\.status is "Running"$/,
  },
  {
    name: 'comparison form: single quotes',
    criterion: { context: '$response.body', type: 'jsonpath', condition: "$.status != 'Done'" },
    passed: true,
  },
  {
    name: 'comparison form: number',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.count > 2' },
    passed: true,
  },
  {
    name: 'comparison form: number fails',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.count >= 4' },
    passed: false,
  },
  {
    name: 'comparison form: <=',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.ratio <= 0.5' },
    passed: true,
  },
  {
    name: 'comparison form: <',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.ratio < 0.5' },
    passed: false,
  },
  {
    name: 'comparison form: boolean',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.ok == true' },
    passed: true,
  },
  {
    name: 'comparison form: null',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.error == null' },
    passed: true,
  },
  {
    name: 'comparison form: no string/number coercion',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.id == 42' },
    passed: false,
  },
  {
    name: 'comparison form: bracket name',
    criterion: { context: '$response.body', type: 'jsonpath', condition: "$['a/b'] == 'slash'" },
    passed: true,
  },
  {
    name: 'comparison form: index',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.items[1].id == 2' },
    passed: true,
  },
  {
    name: 'comparison form: a missing node fails (also for !=)',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.access_token != null' },
    passed: false,
    reason: /^\$\.access_token != null, but \$\.access_token selects nothing$/,
  },
  {
    name: 'comparison form: several nodes fail',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.items[*].id == 1' },
    passed: false,
    reason: /selects 2 nodes/,
  },
  {
    name: 'comparison form: the CrewAI poll loop',
    criterion: { context: '$response.body', type: 'jsonpath', condition: '$.status == "running"' },
    passed: true,
    context: withResponse({ status: 'running', kickoff_id: 'k' }),
  },
  {
    name: 'comparison form: with a substitution',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      condition: '$.count == {$inputs.threshold}',
    },
    passed: false,
  },
  // jsonpath, Goessner draft (jsonpath-plus, safe evaluation).
  {
    name: 'goessner: filter with parentheses',
    criterion: { context: '$response.body', type: GOESSNER, condition: '$.items[?(@.id > 1)]' },
    passed: true,
  },
  {
    name: 'goessner: recursive descent',
    criterion: { context: '$response.body', type: GOESSNER, condition: '$..deep.value' },
    passed: true,
  },
  {
    name: 'goessner: no match',
    criterion: { context: '$response.body', type: GOESSNER, condition: '$.store.book' },
    passed: false,
  },
  {
    name: 'goessner: script index',
    criterion: { context: '$response.body', type: GOESSNER, condition: '$.items[(@.length-1)]' },
    passed: true,
  },
  {
    name: 'goessner: filter over an array body',
    criterion: {
      context: '$response.body',
      type: GOESSNER,
      condition: "$[?(@.status == 'running')]",
    },
    passed: true,
    context: arrayBody,
  },
  {
    name: 'goessner: missing members do not throw',
    criterion: { context: '$response.body', type: GOESSNER, condition: '$[?(@.pets.length > 0)]' },
    passed: true,
    context: withResponse([{ x: 1 }, { pets: [1] }]),
  },
  {
    name: 'goessner: comparison form',
    criterion: { context: '$response.body', type: GOESSNER, condition: "$.status == 'Running'" },
    passed: true,
  },
  {
    name: 'goessner: flat shape',
    criterion: {
      context: '$response.body',
      type: 'jsonpath',
      version: 'draft-goessner-dispatch-jsonpath-00',
      condition: '$.items[?(@.id == 2)]',
    },
    passed: true,
  },
  {
    name: 'goessner: no script escapes the sandbox',
    criterion: {
      context: '$response.body',
      type: GOESSNER,
      condition: "$[?(@.constructor.constructor('return process')())]",
    },
    passed: false,
    context: arrayBody,
  },
  // xpath: EBV of the result on an XML text context.
  {
    name: 'xpath: boolean',
    criterion: { context: '$response.body', type: 'xpath', condition: 'count(/root/pets/*) > 0' },
    passed: true,
  },
  {
    name: 'xpath: node sequence',
    criterion: { context: '$response.body', type: 'xpath', condition: '/root/pets' },
    passed: true,
  },
  {
    name: 'xpath: empty sequence',
    criterion: { context: '$response.body', type: 'xpath', condition: '/root/nope' },
    passed: false,
    reason: /is false \(its effective boolean value\)/,
  },
  {
    name: 'xpath: number 0 is false',
    criterion: { context: '$response.body', type: 'xpath', condition: 'count(/root/nope)' },
    passed: false,
  },
  {
    name: 'xpath: non-zero number',
    criterion: { context: '$response.body', type: 'xpath', condition: 'count(/root/pets/pet)' },
    passed: true,
  },
  {
    name: 'xpath: non-empty string',
    criterion: { context: '$response.body', type: 'xpath', condition: 'string(/root/price)' },
    passed: true,
  },
  {
    name: 'xpath: empty string',
    criterion: { context: '$response.body', type: 'xpath', condition: 'string(/root/empty)' },
    passed: false,
  },
  {
    name: 'xpath: attribute predicate',
    criterion: {
      context: '$response.body',
      type: 'xpath',
      condition: "/root/pets/pet[@id = '2'] = 'b'",
    },
    passed: true,
  },
  {
    name: 'xpath: untyped node value vs number',
    criterion: { context: '$response.body', type: 'xpath', condition: '/root/price > 4' },
    passed: true,
  },
  {
    name: 'xpath: {$…} substitution',
    criterion: {
      context: '$response.body',
      type: 'xpath',
      condition: '/root/price > {$inputs.threshold}',
    },
    passed: true,
  },
  {
    name: 'xpath: xpath-30',
    criterion: {
      context: '$response.body',
      type: { type: 'xpath', version: 'xpath-30' },
      condition: '/root/pets/pet[2]',
    },
    passed: true,
  },
  {
    name: 'xpath: xpath-20',
    criterion: {
      context: '$response.body',
      type: { type: 'xpath', version: 'xpath-20' },
      condition: "/root/pets/pet[1] = 'a'",
    },
    passed: true,
  },
  {
    name: 'xpath: xpath-10',
    criterion: {
      context: '$response.body',
      type: { type: 'xpath', version: 'xpath-10' },
      condition: 'boolean(/root/price)',
    },
    passed: true,
  },
  {
    name: 'xpath: a JSON context is not XML',
    criterion: { context: '$response.body', type: 'xpath', condition: '/root' },
    passed: false,
    context: ctx,
    reason: /is an object, not XML text/,
  },
  {
    name: 'xpath: malformed XML',
    criterion: { context: '$response.body', type: 'xpath', condition: '/root' },
    passed: false,
    context: withResponse('<root><a></root>'),
    reason: /not well-formed XML/,
  },
  {
    name: 'xpath: not XML at all',
    criterion: { context: '$response.body', type: 'xpath', condition: '/root' },
    passed: false,
    context: withResponse('plain text'),
    reason: /not well-formed XML/,
  },
  {
    name: 'xpath: a dynamic error fails with a reason',
    criterion: { context: '$response.body', type: 'xpath', condition: '(1, 2)' },
    passed: false,
    reason: /XPath evaluation failed: FORG0006/,
  },
  {
    name: 'xpath: unknown function fails with a reason',
    criterion: { context: '$response.body', type: 'xpath', condition: 'doc("file:///etc/passwd")' },
    passed: false,
    reason: /XPST0017/,
  },
  {
    name: 'xpath: external entities are not loaded',
    criterion: {
      context: '$response.body',
      type: 'xpath',
      condition: "contains(string(/x), 'root:')",
    },
    passed: false,
    context: withResponse(
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ),
  },
];

for (const row of rows) {
  test(`criterion: ${row.name}`, async () => {
    const compiled = compileCriterion(row.criterion);
    const result = await evaluateCriterion(
      compiled,
      row.context ??
        (row.criterion.type === 'xpath' ||
        (typeof row.criterion.type === 'object' && row.criterion.type.type === 'xpath')
          ? xmlContext
          : ctx),
    );
    assert.equal(result.passed, row.passed, result.reason);
    if (!result.passed) {
      assert.ok((result.reason ?? '').length > 0);
      if (row.reason !== undefined) assert.match(result.reason ?? '', row.reason);
    }
  });
}

const shapes: {
  name: string;
  criterion: Criterion;
  kind: CompiledCriterion['kind'];
  version?: string;
  notes: CriterionNoteCode[];
}[] = [
  { name: 'no type is simple', criterion: { condition: 'true' }, kind: 'simple', notes: [] },
  {
    name: 'type: simple',
    criterion: { type: 'simple', condition: 'true' },
    kind: 'simple',
    notes: [],
  },
  {
    name: 'type: regex',
    criterion: { type: 'regex', context: '$url', condition: 'x' },
    kind: 'regex',
    notes: [],
  },
  {
    name: 'jsonpath defaults to RFC 9535',
    criterion: { type: 'jsonpath', context: '$response.body', condition: '$' },
    kind: 'jsonpath',
    version: 'rfc9535',
    notes: [],
  },
  {
    name: 'xpath defaults to 3.1',
    criterion: { type: 'xpath', context: '$response.body', condition: '/' },
    kind: 'xpath',
    version: 'xpath-31',
    notes: [],
  },
  {
    name: 'nested Goessner (spec shape)',
    criterion: { type: GOESSNER, context: '$response.body', condition: '$' },
    kind: 'jsonpath',
    version: 'draft-goessner-dispatch-jsonpath-00',
    notes: [],
  },
  {
    name: 'flat Goessner (schema shape)',
    criterion: {
      type: 'jsonpath',
      version: 'draft-goessner-dispatch-jsonpath-00',
      context: '$response.body',
      condition: '$',
    },
    kind: 'jsonpath',
    version: 'draft-goessner-dispatch-jsonpath-00',
    notes: ['FLAT_EXPRESSION_TYPE'],
  },
  {
    name: 'nested and the same sibling version',
    criterion: {
      type: GOESSNER,
      version: 'draft-goessner-dispatch-jsonpath-00',
      context: '$response.body',
      condition: '$',
    },
    kind: 'jsonpath',
    version: 'draft-goessner-dispatch-jsonpath-00',
    notes: [],
  },
  {
    name: 'nested rfc9535 (1.1 identifier)',
    criterion: {
      type: { type: 'jsonpath', version: 'rfc9535' },
      context: '$response.body',
      condition: '$',
    },
    kind: 'jsonpath',
    version: 'rfc9535',
    notes: ['VERSION_FROM_ARAZZO_1_1'],
  },
  {
    name: 'nested xpath-30',
    criterion: {
      type: { type: 'xpath', version: 'xpath-30' },
      context: '$response.body',
      condition: '/',
    },
    kind: 'xpath',
    version: 'xpath-30',
    notes: ['XPATH_VERSION_EMULATED'],
  },
  {
    name: 'nested xpath-20',
    criterion: {
      type: { type: 'xpath', version: 'xpath-20' },
      context: '$response.body',
      condition: '/',
    },
    kind: 'xpath',
    version: 'xpath-20',
    notes: ['XPATH_VERSION_EMULATED'],
  },
  {
    name: 'flat xpath-10',
    criterion: { type: 'xpath', version: 'xpath-10', context: '$response.body', condition: '/' },
    kind: 'xpath',
    version: 'xpath-10',
    notes: ['FLAT_EXPRESSION_TYPE', 'XPATH_VERSION_EMULATED'],
  },
  {
    name: 'nested xpath-31 (1.1 identifier)',
    criterion: {
      type: { type: 'xpath', version: 'xpath-31' },
      context: '$response.body',
      condition: '/',
    },
    kind: 'xpath',
    version: 'xpath-31',
    notes: ['VERSION_FROM_ARAZZO_1_1'],
  },
  {
    name: 'jsonpath comparison form',
    criterion: { type: 'jsonpath', context: '$response.body', condition: '$.a == 1' },
    kind: 'jsonpath',
    version: 'rfc9535',
    notes: ['JSONPATH_COMPARISON_FORM'],
  },
  {
    name: 'jsonpath root filter',
    criterion: { type: 'jsonpath', context: '$response.body', condition: '$[?@.a]' },
    kind: 'jsonpath',
    version: 'rfc9535',
    notes: ['JSONPATH_ROOT_FILTER'],
  },
];

for (const row of shapes) {
  test(`type: ${row.name}`, () => {
    const compiled = compileCriterion(row.criterion);
    assert.equal(compiled.kind, row.kind);
    assert.equal(compiled.version, row.version);
    assert.equal(compiled.condition, row.criterion.condition);
    assert.deepEqual(
      compiled.notes.map((n) => n.code),
      row.notes,
    );
  });
}

test('the comparison-form note carries both rewrites, and the simple one means the same', async () => {
  const criterion: Criterion = {
    context: '$response.body',
    type: 'jsonpath',
    condition: '$.status == "Running"',
  };
  const note = compileCriterion(criterion).notes[0];
  assert.equal(note?.code, 'JSONPATH_COMPARISON_FORM');
  assert.equal(note.offset, 9);
  assert.equal(note.rewrite, "$response.body#/status == 'Running'");
  assert.match(note.message, /\$\[\?\$\.status == "Running"\]/);
  assert.equal(
    (await evaluateCriterion(compileCriterion({ condition: note.rewrite ?? '' }), ctx)).passed,
    true,
  );
  const filter = /RFC 9535 as (\S+ == "Running"\])/.exec(note.message)?.[1] ?? '';
  assert.equal(
    (await evaluateCriterion(compileCriterion({ ...criterion, condition: filter }), ctx)).passed,
    true,
  );
});

test('the comparison-form rewrite escapes pointer tokens', () => {
  const note = compileCriterion({
    context: '$response.body',
    type: 'jsonpath',
    condition: "$['a/b'].c == 'x'",
  }).notes[0];
  assert.equal(note?.rewrite, "$response.body#/a~1b/c == 'x'");
});

test('compiled criteria list the context and embedded expressions', () => {
  const compiled = compileCriterion({
    context: '$response.body',
    type: 'jsonpath',
    condition: '$.items[?@.id == {$inputs.threshold}]',
  });
  assert.equal(compiled.context?.text, '$response.body');
  assert.deepEqual(
    compiled.expressions.map((e) => e.text),
    ['$response.body', '$inputs.threshold'],
  );
});

const errors: {
  name: string;
  criterion: unknown;
  code: CriterionErrorCode;
  field: string;
  offset?: number;
}[] = [
  {
    name: 'no condition',
    criterion: { context: '$url' },
    code: 'CONDITION_MISSING',
    field: 'condition',
  },
  {
    name: 'condition not a string',
    criterion: { condition: 200 },
    code: 'CONDITION_MISSING',
    field: 'condition',
  },
  {
    name: 'unknown type',
    criterion: { type: 'json', condition: '$' },
    code: 'UNKNOWN_TYPE',
    field: 'type',
  },
  {
    name: 'type is case-sensitive',
    criterion: { type: 'JSONPath', context: '$url', condition: '$' },
    code: 'UNKNOWN_TYPE',
    field: 'type',
  },
  {
    name: 'type not a string or object',
    criterion: { type: 5, condition: '$' },
    code: 'UNKNOWN_TYPE',
    field: 'type',
  },
  {
    name: 'type object for regex',
    criterion: { type: { type: 'regex', version: 'x' }, context: '$url', condition: 'x' },
    code: 'INVALID_EXPRESSION_TYPE',
    field: 'type',
  },
  {
    name: 'type object for jsonpointer (1.1 selectors only)',
    criterion: {
      type: { type: 'jsonpointer', version: 'rfc6901' },
      context: '$url',
      condition: '/a',
    },
    code: 'INVALID_EXPRESSION_TYPE',
    field: 'type',
  },
  {
    name: 'type object without version',
    criterion: { type: { type: 'jsonpath' }, context: '$url', condition: '$' },
    code: 'VERSION_MISSING',
    field: 'type',
  },
  {
    name: 'unknown xpath version',
    criterion: { type: { type: 'xpath', version: 'xpath-40' }, context: '$url', condition: '/' },
    code: 'UNSUPPORTED_VERSION',
    field: 'type',
  },
  {
    name: 'xpath version for jsonpath',
    criterion: { type: { type: 'jsonpath', version: 'xpath-30' }, context: '$url', condition: '$' },
    code: 'UNSUPPORTED_VERSION',
    field: 'type',
  },
  {
    name: 'unknown flat version',
    criterion: { type: 'jsonpath', version: 'goessner', context: '$url', condition: '$' },
    code: 'UNSUPPORTED_VERSION',
    field: 'version',
  },
  {
    name: 'version on regex',
    criterion: { type: 'regex', version: 'x', context: '$url', condition: 'x' },
    code: 'VERSION_NOT_APPLICABLE',
    field: 'version',
  },
  {
    name: 'version on simple',
    criterion: { version: 'x', condition: 'true' },
    code: 'VERSION_NOT_APPLICABLE',
    field: 'version',
  },
  {
    name: 'conflicting versions',
    criterion: {
      type: { type: 'xpath', version: 'xpath-30' },
      version: 'xpath-20',
      context: '$url',
      condition: '/',
    },
    code: 'VERSION_CONFLICT',
    field: 'version',
  },
  {
    name: 'regex without context',
    criterion: { type: 'regex', condition: 'x' },
    code: 'CONTEXT_REQUIRED',
    field: 'context',
  },
  {
    name: 'jsonpath without context',
    criterion: { type: 'jsonpath', condition: '$' },
    code: 'CONTEXT_REQUIRED',
    field: 'context',
  },
  {
    name: 'xpath without context',
    criterion: { type: GOESSNER, condition: '$' },
    code: 'CONTEXT_REQUIRED',
    field: 'context',
  },
  {
    name: 'bad context expression',
    criterion: { type: 'regex', context: '$response.bdy', condition: 'x' },
    code: 'EXPRESSION_INVALID',
    field: 'context',
    offset: 10,
  },
  {
    name: 'context not a string',
    criterion: { type: 'regex', context: 5, condition: 'x' },
    code: 'EXPRESSION_INVALID',
    field: 'context',
    offset: 0,
  },
  {
    name: 'invalid regex',
    criterion: { type: 'regex', context: '$url', condition: '(' },
    code: 'REGEX_INVALID',
    field: 'condition',
    offset: 0,
  },
  {
    name: 'invalid regex under the u flag',
    criterion: { type: 'regex', context: '$url', condition: '\\-' },
    code: 'REGEX_INVALID',
    field: 'condition',
    offset: 0,
  },
  {
    name: 'invalid RFC 9535 query',
    criterion: { type: 'jsonpath', context: '$url', condition: '$.a ==' },
    code: 'JSONPATH_SYNTAX',
    field: 'condition',
    offset: 4,
  },
  {
    name: 'leading whitespace is not RFC 9535',
    criterion: { type: 'jsonpath', context: '$url', condition: ' $.a' },
    code: 'JSONPATH_SYNTAX',
    field: 'condition',
    offset: 0,
  },
  {
    name: 'unclosed filter',
    criterion: { type: 'jsonpath', context: '$url', condition: "$[?@.a == 'x'" },
    code: 'JSONPATH_SYNTAX',
    field: 'condition',
  },
  {
    name: 'non-singular query in a comparison',
    criterion: { type: 'jsonpath', context: '$url', condition: '$[?@..a == 1]' },
    code: 'JSONPATH_SYNTAX',
    field: 'condition',
  },
  {
    name: 'comparison form with a non-literal',
    criterion: { type: 'jsonpath', context: '$url', condition: '$.a == $.b' },
    code: 'JSONPATH_SYNTAX',
    field: 'condition',
    offset: 4,
  },
  {
    name: 'goessner without $',
    criterion: { type: GOESSNER, context: '$url', condition: 'store.book' },
    code: 'JSONPATH_SYNTAX',
    field: 'condition',
    offset: 0,
  },
  {
    name: 'goessner unbalanced',
    criterion: { type: GOESSNER, context: '$url', condition: '$.a[0' },
    code: 'JSONPATH_SYNTAX',
    field: 'condition',
    offset: 3,
  },
  {
    name: 'goessner bad filter',
    criterion: { type: GOESSNER, context: '$url', condition: '$.a[?(@.b ==)]' },
    code: 'JSONPATH_SYNTAX',
    field: 'condition',
    offset: 6,
  },
  {
    name: 'invalid XPath',
    criterion: { type: 'xpath', context: '$url', condition: '/root/[' },
    code: 'XPATH_SYNTAX',
    field: 'condition',
    offset: 5,
  },
  {
    name: 'invalid XPath on line 2',
    criterion: { type: 'xpath', context: '$url', condition: '/a\n  [' },
    code: 'XPATH_SYNTAX',
    field: 'condition',
    offset: 5,
  },
  {
    name: 'bad embedded expression',
    criterion: { type: 'jsonpath', context: '$url', condition: "$[?@.a == '{$inputs.}']" },
    code: 'EXPRESSION_INVALID',
    field: 'condition',
    offset: 20,
  },
  {
    name: 'unclosed embedded expression',
    criterion: { type: 'regex', context: '$url', condition: '^{$inputs.a' },
    code: 'EXPRESSION_INVALID',
    field: 'condition',
    offset: 1,
  },
];

for (const row of errors) {
  test(`compile error: ${row.name} → ${row.code}`, () => {
    assert.throws(
      () => compileCriterion(row.criterion as Criterion),
      (error: unknown) => {
        assert.ok(error instanceof CriterionError, String(error));
        assert.equal(error.code, row.code, error.message);
        assert.equal(error.field, row.field);
        if (row.offset !== undefined) assert.equal(error.offset, row.offset, error.message);
        return true;
      },
    );
  });
}

test('evaluateCriterion never throws, even if the context does', async () => {
  const hostile = new Proxy(ctx, {
    get(target, key, receiver) {
      if (key === 'exchange') throw new Error('boom');
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  for (const criterion of [
    { condition: '$statusCode == 200' },
    { context: '$response.body', type: 'jsonpath', condition: '$.a' },
    { context: '$response.body', type: 'regex', condition: 'a' },
    { context: '$response.body', type: 'xpath', condition: '/a' },
  ] satisfies Criterion[]) {
    const result = await evaluateCriterion(compileCriterion(criterion), hostile);
    assert.equal(result.passed, false);
    assert.match(result.reason ?? '', /could not be evaluated: boom/);
  }
});

test('jsonpath recursion on deeply nested data fails with a reason instead of crashing', async () => {
  let deep: unknown = 1;
  for (let i = 0; i < 20_000; i++) deep = [deep];
  const result = await evaluateCriterion(
    compileCriterion({ context: '$response.body', type: 'jsonpath', condition: '$..*' }),
    withResponse(deep),
  );
  assert.equal(typeof result.passed, 'boolean');
  if (!result.passed) assert.ok((result.reason ?? '').length > 0);
});

test('in a 1.1 document rfc9535 and xpath-31 are its own identifiers: no VERSION_FROM_ARAZZO_1_1', () => {
  for (const [type, condition] of [
    [{ type: 'jsonpath', version: 'rfc9535' }, '$'],
    [{ type: 'xpath', version: 'xpath-31' }, '/'],
  ] as const) {
    const criterion: Criterion = { type, context: '$response.body', condition };
    assert.deepEqual(
      compileCriterion(criterion, '1.0').notes.map((n) => n.code),
      ['VERSION_FROM_ARAZZO_1_1'],
    );
    assert.deepEqual(compileCriterion(criterion, '1.1').notes, []);
    assert.equal(compileCriterion(criterion, '1.1').version, type.version);
  }
});
