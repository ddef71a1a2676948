import type { RuleContext } from '../model/context.js';
import { compiledSites, type CompiledSite } from '../model/compiled.js';
import { operationOf } from '../model/resolve.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Forms that run but are probably not what the author meant, from the notes of the expression
 * and criteria compilers (all warnings):
 * - `expression-unbraced`: `"Bearer $inputs.token"` — Arazzo embeds expressions as `{$inputs.token}`.
 * - `expression-braced-whole-value`: `"{$inputs.count}"` turns a number into text.
 * - `expression-dot-navigation`: `$response.body.id` — the Arazzo form is `$response.body#/id`.
 * - `jsonpath-comparison-form`: `$.status == 'done'` is not RFC 9535; evaluated as a comparison,
 *   with the RFC 9535 / simple rewrite in the message (POSITIONS §5.3).
 * - `jsonpath-root-filter`: `$[?@.x …]` filters the *children* of the context; on an object body
 *   that is rarely intended (suppressed when the operation's response body is an array).
 * - `condition-double-quoted`: simple conditions quote strings with `'`.
 * - `selector-array-parameter`: a 1.1 Selector Object whose JSONPath query is not singular, as
 *   a parameter value: it selects an array (POSITIONS §11.10).
 * - `criterion-flat-expression-type`, `criterion-version-1-1`, `xpath-version-emulated`,
 *   `criterion-context-ignored`: see RULES.md.
 */
export const expressionLint = {
  codes: {
    'expression-unbraced': 'warning',
    'expression-braced-whole-value': 'warning',
    'expression-dot-navigation': 'warning',
    'jsonpath-comparison-form': 'warning',
    'jsonpath-root-filter': 'warning',
    'condition-double-quoted': 'warning',
    'criterion-flat-expression-type': 'warning',
    'criterion-version-1-1': 'warning',
    'xpath-version-emulated': 'warning',
    'criterion-context-ignored': 'warning',
    'selector-array-parameter': 'warning',
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const compiled of compiledSites(ctx)) {
      if (compiled.site.via !== undefined) continue;
      for (const finding of compiled.findings) {
        if (finding.severity !== 'warning') continue;
        if (finding.code === 'jsonpath-root-filter' && bodyIsArray(ctx, compiled)) continue;
        findings.push(finding);
      }
    }
    return findings;
  },
} satisfies Rule;

/** Whether the criterion's context is `$response.body` of an operation whose JSON responses are arrays. */
function bodyIsArray(ctx: RuleContext, compiled: CompiledSite): boolean {
  const context = compiled.criterion?.context;
  const step = compiled.site.step;
  if (
    !step ||
    context?.kind !== 'response' ||
    context.source !== 'body' ||
    context.pointer !== undefined
  )
    return false;
  const resolution = operationOf(ctx, step);
  if (resolution.status !== 'resolved') return false;
  const types: unknown[] = [];
  for (const [status, response] of Object.entries(resolution.operation.operation.responses ?? {})) {
    if (!status.startsWith('2')) continue;
    const content =
      (response as { content?: Record<string, { schema?: { type?: unknown } }> } | undefined)
        ?.content ?? {};
    for (const [mediaType, media] of Object.entries(content)) {
      if (mediaType.includes('json')) types.push(media.schema?.type);
    }
  }
  return types.length > 0 && types.every((type) => type === 'array');
}
