/**
 * The corrections applied to the vendored official schema (`schema/arazzo-1.0.schema.json`, the
 * published 2025-10-15 iteration, kept byte-identical) when it is loaded. POSITIONS §8 lists
 * where the schema disagrees with the 1.0.1 text; the spec text wins. Each patch checks that the
 * part it replaces still has the upstream shape, so a changed schema file fails loudly instead of
 * being patched wrongly. `schema/README.md` lists the same patches for readers of the JSON file.
 *
 * Spec corrections (documents the official schema rejects are accepted; rule
 * `official-schema-rejects` reports each such use as a warning):
 *   1. Criterion `type` may be the Criterion Expression Type Object (`type: {type, version}`), as
 *      the spec text says (OAI/Arazzo-Specification#336). The flattened form the schema accepts
 *      (`type: jsonpath` + sibling `version`) stays accepted with the same constraints; the
 *      criteria compiler notes it and `validate` warns (`criterion-flat-expression-type`).
 *      The version identifiers Arazzo 1.1 adds (`rfc9535`, `xpath-31`) are accepted here and
 *      reported as warnings by the criteria notes (POSITIONS §10 A24).
 *   2. `type: simple` does not require `context` (OAI/Arazzo-Specification PR #499).
 *   3. Payload Replacement `value` is Any, as the spec table and its example (`value: 10`) say.
 *   4. Reusable Object extra properties are accepted ("any properties added MUST be ignored").
 *
 * Equivalent rewrites for readable diagnostics (the set of accepted documents is unchanged):
 *   5. `oneOf: [X, reusable-object]` in action and parameter lists becomes
 *      `if: {required: [reference]}, then: reusable-object, else: X`. X never allows a `reference`
 *      field, so exactly the same values pass, but a broken action is reported against the one
 *      object it is meant to be instead of against both.
 *   6. `uniqueItems` becomes `uniqueJsonItems` (unique-items.ts): the same test — no two items are
 *      equal JSON values — done by hashing a canonical serialisation in linear time. ajv's
 *      pairwise deep comparison is quadratic and dominated validation of large documents.
 */

export type SchemaNode = Record<string, unknown>;

const REUSABLE_REF = '#/$defs/reusable-object';
const EXPRESSION_TYPE_REF = '#/$defs/criterion-expression-type-object';
export const ANY_JSON = ['string', 'boolean', 'object', 'array', 'number', 'null'];
const CRITERION_TYPES = ['simple', 'regex', 'jsonpath', 'xpath'];

export function patchArazzoSchema(original: unknown): SchemaNode {
  const schema = structuredClone(original) as SchemaNode;
  const defs = object(schema, '$defs');

  // 1 + 2: criterion `type` and `context`.
  const criterion = object(defs, 'criterion-object');
  expect(
    Array.isArray(criterion['anyOf']) && (criterion['anyOf'] as unknown[]).length === 2,
    'criterion-object.anyOf',
  );
  delete criterion['anyOf'];
  const criterionProps = object(criterion, 'properties');
  criterionProps['type'] = {
    description:
      'The type of condition to be applied: a string, or a Criterion Expression Type Object',
    if: { type: 'string' },
    then: { enum: CRITERION_TYPES },
    else: { $ref: EXPRESSION_TYPE_REF },
  };
  // The flattened form: a sibling `version` makes the criterion itself an expression type object.
  criterionProps['version'] = { type: 'string' };
  criterion['allOf'] = [{ if: { required: ['version'] }, then: { $ref: EXPRESSION_TYPE_REF } }];
  const expressionType = object(defs, 'criterion-expression-type-object');
  const versionRules = expressionType['allOf'];
  expect(
    Array.isArray(versionRules) && versionRules.length === 2,
    'criterion-expression-type-object.allOf',
  );
  const [jsonpathRule, xpathRule] = versionRules as SchemaNode[];
  const jsonpathVersion = object(
    object(object(jsonpathRule ?? {}, 'then'), 'properties'),
    'version',
  );
  expect(
    jsonpathVersion['const'] === 'draft-goessner-dispatch-jsonpath-00',
    'jsonpath version const',
  );
  delete jsonpathVersion['const'];
  jsonpathVersion['enum'] = ['draft-goessner-dispatch-jsonpath-00', 'rfc9535'];
  const xpathVersion = object(object(object(xpathRule ?? {}, 'then'), 'properties'), 'version');
  expect(Array.isArray(xpathVersion['enum']), 'xpath version enum');
  xpathVersion['enum'] = ['xpath-10', 'xpath-20', 'xpath-30', 'xpath-31'];
  allowSimpleWithoutContext(criterion);

  // 3: replacement value is Any.
  const replacementValue = object(
    object(object(defs, 'payload-replacement-object'), 'properties'),
    'value',
  );
  expect(replacementValue['type'] === 'string', 'payload-replacement-object.properties.value.type');
  replacementValue['type'] = ANY_JSON;

  // 4: Reusable Object extra properties are ignored.
  ignoreReusableExtras(defs);

  // 5: oneOf [X, reusable] → if reference then reusable else X.
  discriminateWorkflowLists(defs);
  const step = object(defs, 'step-object');
  const stepProps = object(step, 'properties');
  for (const key of ['onSuccess', 'onFailure']) {
    discriminateReusable(object(object(stepProps, key), 'items'), `step-object.${key}`);
  }
  const branches = step['allOf'];
  expect(Array.isArray(branches) && branches.length === 2, 'step-object.allOf');
  for (const [index, branch] of (branches as SchemaNode[]).entries()) {
    const items = object(
      object(object(object(branch, 'then'), 'properties'), 'parameters'),
      'items',
    );
    discriminateReusable(items, `step-object.allOf[${index}]`);
  }
  renameKeyword(schema, 'uniqueItems', UNIQUE_KEYWORD);
  return schema;
}

/*
 * Patches both versions' schemas need, on parts whose shape did not change from 1.0 to 1.1.
 */

/** `type: simple` needs no `context`: the `dependentRequired` applies to the other types only. */
export function allowSimpleWithoutContext(criterion: SchemaNode): void {
  expect(criterion['dependentRequired'] !== undefined, 'criterion-object.dependentRequired');
  delete criterion['dependentRequired'];
  criterion['if'] = { required: ['type'], properties: { type: { const: 'simple' } } };
  criterion['else'] = { dependentRequired: { type: ['context'] } };
}

/** Reusable Object extra properties are accepted ("any properties added MUST be ignored"). */
export function ignoreReusableExtras(defs: SchemaNode): void {
  const reusable = object(defs, 'reusable-object');
  expect(reusable['unevaluatedProperties'] === false, 'reusable-object.unevaluatedProperties');
  delete reusable['unevaluatedProperties'];
}

/** The workflow's `successActions`, `failureActions` and `parameters` lists (rewrite 5). */
export function discriminateWorkflowLists(defs: SchemaNode): void {
  const workflowProps = object(object(defs, 'workflow-object'), 'properties');
  for (const key of ['successActions', 'failureActions', 'parameters']) {
    discriminateReusable(object(object(workflowProps, key), 'items'), `workflow-object.${key}`);
  }
}

/** The keyword patch 6 introduces; unique-items.ts implements it. */
export const UNIQUE_KEYWORD = 'uniqueJsonItems';

export function renameKeyword(node: unknown, from: string, to: string): void {
  if (Array.isArray(node)) {
    for (const item of node) renameKeyword(item, from, to);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as SchemaNode;
  if (Object.hasOwn(record, from)) {
    record[to] = record[from];
    delete record[from];
  }
  for (const value of Object.values(record)) renameKeyword(value, from, to);
}

/** Rewrites `{oneOf: [X, {$ref: reusable}]}` (either order) in place. */
export function discriminateReusable(node: SchemaNode, where: string): void {
  const options = node['oneOf'];
  expect(Array.isArray(options) && options.length === 2, `${where}.oneOf`);
  const [first, second] = options as SchemaNode[];
  const isReusable = (option: SchemaNode | undefined) => option?.['$ref'] === REUSABLE_REF;
  const other = isReusable(first) ? second : first;
  expect(
    (isReusable(first) || isReusable(second)) && other !== undefined,
    `${where}.oneOf reusable branch`,
  );
  delete node['oneOf'];
  node['if'] = { type: 'object', required: ['reference'] };
  node['then'] = { $ref: REUSABLE_REF };
  node['else'] = other;
}

export function object(parent: SchemaNode, key: string): SchemaNode {
  const value = parent[key];
  expect(typeof value === 'object' && value !== null && !Array.isArray(value), key);
  return value as SchemaNode;
}

export function expect(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`arazzo schema patch: unexpected upstream shape at ${what}`);
}
