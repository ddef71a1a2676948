/**
 * The corrections applied to the vendored official Arazzo 1.1 schema
 * (`schema/arazzo-1.1.schema.json`, the published 2026-04-15 iteration, kept byte-identical), in
 * the manner of schema-patches.ts for 1.0 (same checks that the upstream shape is unchanged).
 *
 * Spec corrections (the text wins; rule `official-schema-rejects` warns about each use):
 *   1. `type: simple` does not require `context`, as for 1.0 (OAI/Arazzo-Specification PR #499;
 *      the 1.1 text keeps "If `type` is specified, then the `context` MUST be provided", but a
 *      simple condition names its own context: POSITIONS §8).
 *   2. Parameter `value` and Payload Replacement `value` are "Any | {expression} | Selector
 *      Object" in the 1.1 tables; the schema allows no literal object (parameter) or only a string
 *      (replacement, whose own 1.0 example is `value: 10`). An object with a `selector` field is a
 *      Selector Object and is checked as one; any other value is accepted (POSITIONS §11.2).
 *   3. Reusable Object extra properties are accepted ("any properties added MUST be ignored").
 *
 * Equivalent rewrites for readable diagnostics (the set of accepted documents is unchanged):
 *   4. `oneOf: [X, reusable-object]` in action and parameter lists becomes an if/then/else on
 *      `reference`, as for 1.0.
 *   5. The step `oneOf` of openapi / asyncapi / workflow steps becomes: `workflowId` → workflow
 *      step; else `action` or `channelPath` → AsyncAPI step; else OpenAPI step. Each branch
 *      refuses the fields that select the others (`unevaluatedProperties: false`), so exactly the
 *      same steps pass, and a broken step is reported against the kind it is meant to be.
 *   6. `uniqueItems` becomes `uniqueJsonItems` (unique-items.ts), as for 1.0.
 */
import {
  allowSimpleWithoutContext,
  ANY_JSON,
  discriminateReusable,
  discriminateWorkflowLists,
  ignoreReusableExtras,
  expect,
  object,
  renameKeyword,
  UNIQUE_KEYWORD,
  type SchemaNode,
} from './schema-patches.js';

const SELECTOR_REF = '#/$defs/selector-object';

export function patchArazzoSchema11(original: unknown): SchemaNode {
  const schema = structuredClone(original) as SchemaNode;
  const defs = object(schema, '$defs');

  // 1: `type: simple` without context.
  allowSimpleWithoutContext(object(defs, 'criterion-object'));

  // 2: parameter and replacement values: a Selector Object when it has `selector`, else Any.
  for (const owner of ['parameter-object', 'payload-replacement-object']) {
    const properties = object(object(defs, owner), 'properties');
    const value = object(properties, 'value');
    const options = value['oneOf'];
    expect(
      Array.isArray(options) &&
        options.length === 2 &&
        (options[1] as SchemaNode)['$ref'] === SELECTOR_REF,
      `${owner}.properties.value.oneOf`,
    );
    properties['value'] = {
      description: value['description'],
      if: { type: 'object', required: ['selector'] },
      then: { $ref: SELECTOR_REF },
      else: { type: ANY_JSON },
    };
  }

  // 3: Reusable Object extra properties are ignored.
  ignoreReusableExtras(defs);

  // 4: oneOf [X, reusable] → if reference then reusable else X.
  discriminateWorkflowLists(defs);
  const baseProps = object(object(defs, 'step-object-base'), 'properties');
  for (const key of ['onSuccess', 'onFailure']) {
    discriminateReusable(object(object(baseProps, key), 'items'), `step-object-base.${key}`);
  }
  discriminateReusable(
    object(object(defs, 'operation-step-parameters'), 'items'),
    'operation-step-parameters',
  );
  const workflowStep = object(defs, 'workflow-step-object');
  const workflowStepParts = workflowStep['allOf'];
  expect(
    Array.isArray(workflowStepParts) && workflowStepParts.length === 2,
    'workflow-step-object.allOf',
  );
  const workflowStepParams = object(
    object(object(workflowStepParts[1] as SchemaNode, 'properties'), 'parameters'),
    'items',
  );
  discriminateReusable(workflowStepParams, 'workflow-step-object parameters');

  // 5: the step kinds, chosen by the fields that tell them apart.
  const step = object(defs, 'step-object');
  const kinds = step['oneOf'];
  expect(
    Array.isArray(kinds) &&
      kinds.map((kind) => (kind as SchemaNode)['$ref']).join() ===
        '#/$defs/openapi-step-object,#/$defs/asyncapi-step-object,#/$defs/workflow-step-object',
    'step-object.oneOf',
  );
  delete step['oneOf'];
  step['if'] = { type: 'object', required: ['workflowId'] };
  step['then'] = { $ref: '#/$defs/workflow-step-object' };
  step['else'] = {
    if: { type: 'object', anyOf: [{ required: ['action'] }, { required: ['channelPath'] }] },
    then: { $ref: '#/$defs/asyncapi-step-object' },
    else: { $ref: '#/$defs/openapi-step-object' },
  };

  renameKeyword(schema, 'uniqueItems', UNIQUE_KEYWORD);
  return schema;
}
