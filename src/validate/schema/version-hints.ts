/**
 * Arazzo 1.1 constructs in a 1.0.x document: the 1.0 schema rejects them (an unknown field, a
 * value outside an enum), and its message alone reads like a typo. schema.ts keeps the finding's
 * code and severity (the 1.0 schema is right to refuse them) and appends these hints, which say
 * which version has the construct (issue 14: "diagnosed the way the 1.0 schema says, with a hint
 * to set `arazzo: 1.1.0`").
 */

/**
 * Fields that Arazzo 1.1.0 adds (1.1 §Arazzo Object, §Step Object, §Success/Failure Action
 * Object, §Payload Replacement Object).
 */
const FIELDS_1_1: ReadonlySet<string> = new Set([
  '$self',
  'timeout',
  'dependsOn',
  'action',
  'channelPath',
  'correlationId',
  'parameters',
  'targetSelectorType',
]);

/**
 * Values of enumerated fields that Arazzo 1.1.0 adds (§Parameter Object `in`, §Source
 * Description Object `type`). The 1.1 expression type versions need none: the 1.0 schema is
 * patched to accept them (schema-patches.ts, patch 1).
 */
const VALUES_1_1: ReadonlySet<string> = new Set(['querystring', 'asyncapi']);

const HINT = ': it is Arazzo 1.1 (set "arazzo: 1.1.0" to use it)';

/**
 * The hint for a field the 1.0 schema does not know, or '' when 1.1 does not add it either.
 * (`dependsOn` and `parameters` are 1.0 fields elsewhere: the schema only calls them unknown
 * where 1.0 lacks them.)
 */
export function fieldHint11(field: string): string {
  return FIELDS_1_1.has(field) ? HINT : '';
}

/** The hint for a value outside a 1.0 enum, or '' when 1.1 does not add it either. */
export function valueHint11(value: unknown): string {
  return typeof value === 'string' && VALUES_1_1.has(value) ? HINT : '';
}

/**
 * The hint for an object with a `selector` field where 1.0 wants an expression (an output): 1.1
 * §Selector Object. (Where 1.0 takes Any, a parameter or payload value, it is a literal.)
 */
export function selectorHint11(value: unknown): string {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'selector')
    ? ': a Selector Object is Arazzo 1.1 (set "arazzo: 1.1.0" to use it)'
    : '';
}
