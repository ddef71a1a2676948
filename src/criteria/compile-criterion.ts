/**
 * `compileCriterion`: a Criterion Object (Arazzo 1.0.1 §Criterion Object) → a CompiledCriterion,
 * or a CriterionError with a code, the field and the offset in it. Done once, at document load.
 */
import type { SpecVersion } from '../document/constants.js';
import type { Criterion } from '../document/types.js';
import type { CompiledCriterion } from './compiled-criterion.js';
import { compileJsonPathCriterion } from './compile-jsonpath.js';
import { compileRegexCriterion } from './compile-regex.js';
import { compileXPathCriterion } from './compile-xpath.js';
import { parseContext } from './criterion-context.js';
import { CriterionError } from './errors.js';
import { resolveType } from './expression-type.js';
import { compileSimple } from './simple/compile.js';

/** `version`: the document's Arazzo version (its expression grammar). */
export function compileCriterion(
  criterion: Criterion,
  version: SpecVersion = '1.0',
): CompiledCriterion {
  const condition: unknown = (criterion as { condition?: unknown } | null)?.condition;
  if (typeof condition !== 'string') {
    throw new CriterionError('CONDITION_MISSING', 'a criterion needs a condition (a string)', 0);
  }
  const type = resolveType(criterion, version);
  const context = parseContext(criterion.context, version);
  if (type.kind === 'simple') return compileSimple(condition, context, type.notes, version);
  if (context === undefined) {
    // §Criterion Object: "If `type` is specified, then the `context` MUST be provided".
    throw new CriterionError(
      'CONTEXT_REQUIRED',
      `a ${type.kind} criterion needs a context (e.g. $response.body)`,
      0,
      {
        field: 'context',
      },
    );
  }
  switch (type.kind) {
    case 'regex':
      return compileRegexCriterion(condition, context, type.notes, version);
    case 'jsonpath':
      return compileJsonPathCriterion(
        condition,
        context,
        type.version ?? 'rfc9535',
        type.notes,
        version,
      );
    case 'xpath':
      return compileXPathCriterion(
        condition,
        context,
        type.version ?? 'xpath-31',
        type.notes,
        version,
      );
  }
}
