/**
 * Arazzo 1.1 constructs in a 1.0.x document: the 1.0 schema rejects them (an unknown field, a
 * value outside an enum), and its message alone reads like a typo. The finding keeps its code and
 * severity (the 1.0 schema is right to refuse them) and says which version has the construct
 * (issue 14: "diagnosed the way the 1.0 schema says, with a hint to set `arazzo: 1.1.0`").
 */
import type { Finding } from './types.js';

/** Fields that Arazzo 1.1.0 adds (1.1 §Arazzo Object, §Step Object, §Success/Failure Action
 * Object, §Payload Replacement Object), by the last key of the pointer that reaches them. */
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

/** Values of enumerated fields that Arazzo 1.1.0 adds (§Parameter Object `in`, §Source
 * Description Object `type`, §Criterion Object `type` versions). */
const VALUES_1_1: ReadonlySet<string> = new Set([
  'querystring',
  'asyncapi',
  'rfc9535',
  'xpath-31',
  'jsonpointer',
]);

const EXTENSION_NOTE = ' (extensions must start with "x-")';
const HINT = ': it is Arazzo 1.1 (set "arazzo: 1.1.0" to use it)';

export function withVersionHints(findings: Finding[]): Finding[] {
  return findings.map((finding) =>
    isFrom11(finding)
      ? { ...finding, message: finding.message.replace(EXTENSION_NOTE, '') + HINT }
      : finding,
  );
}

function isFrom11(finding: Finding): boolean {
  const unknownField = /^unknown field "([^"]+)"/.exec(finding.message)?.[1];
  // `dependsOn` is also a 1.0 Workflow Object field, and `parameters` a 1.0 step and workflow
  // field: only unknown where 1.0 lacks them, which is what the schema said.
  if (unknownField !== undefined) return FIELDS_1_1.has(unknownField);
  const found = /must be one of .* \(found "([^"]+)"\)/.exec(finding.message)?.[1];
  return found !== undefined && VALUES_1_1.has(found);
}
