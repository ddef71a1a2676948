/**
 * Compiling a `jsonpath` criterion (Arazzo 1.0.1 §Criterion Object; pass/fail per 1.1 §JSONPath
 * Conditions, adopted: "passes when the JSONPath expression returns a non-empty nodelist"; a
 * `null`/`undefined` context or a syntax error fails — and a syntax error is a compile error here,
 * never a silent `false`).
 *
 * A condition that is not a valid query but has the form `<query> <op> <literal>` is evaluated
 * as a comparison of the selected node (jsonpath-comparison.ts; POSITIONS §5.3) and noted.
 */
import { hasExpressions, type Expression, type RuntimeContext } from '../expressions/index.js';
import type { CompiledCriterion, CriterionNote, CriterionResult } from './compiled-criterion.js';
import { contextValue } from './criterion-context.js';
import type { CriterionTask } from './criterion-task.js';
import { jsonPathDialectOf, type JsonPathDialect } from './jsonpath.js';
import {
  singularQueryToPointer,
  toSimpleLiteral,
  type ComparisonForm,
} from './jsonpath-comparison.js';
import { evaluatePlan, isBoundedPlan, planJsonPath, type Plan } from './jsonpath-plan.js';
import { CompileCache } from './compile-cache.js';
import type { SpecVersion } from '../document/constants.js';
import { embeddedExpressions, parseCondition, substitute } from './substitute.js';

export function compileJsonPathCriterion(
  condition: string,
  context: Expression,
  version: string,
  typeNotes: readonly CriterionNote[],
  specVersion: SpecVersion,
): CompiledCriterion {
  const dialect: JsonPathDialect = jsonPathDialectOf(version);
  const parts = parseCondition(condition, specVersion);
  const fixed = hasExpressions(parts) ? undefined : planJsonPath(condition, dialect);
  const fixedBounded = fixed !== undefined && isBoundedPlan(fixed);
  const notes = [...typeNotes];
  if (fixed?.kind === 'comparison') notes.push(comparisonNote(fixed.form, context));
  if (dialect === 'rfc9535' && /^\$\[\?/.test(condition)) {
    notes.push({
      code: 'JSONPATH_ROOT_FILTER',
      message:
        'a filter at the root ($[?…]) tests the children of the context value, not the value itself: over an object it looks at its member values (e.g. $[?@.x] never sees the object\'s own "x"); to test the object use an existence query ($.x) or a root reference ($[?$.x == …])',
      offset: 0,
    });
  }
  const cache = new CompileCache<Plan | string>();
  // Bounded plans run here; the others are handed to the bounded worker (jsonpath-plan.ts).
  const run = (ctx: RuntimeContext): CriterionResult | CriterionTask => {
    const subject = contextValue(context, ctx);
    if ('reason' in subject) return { passed: false, reason: subject.reason };
    let plan = fixed;
    let text = condition;
    if (plan === undefined) {
      const built = substitute(parts, ctx);
      if ('reason' in built) return { passed: false, reason: built.reason };
      text = built.text;
      const compiled = cache.get(text, (query) => {
        try {
          return planJsonPath(query, dialect);
        } catch (error) {
          return `${query}: ${error instanceof Error ? error.message : String(error)}`;
        }
      });
      if (typeof compiled === 'string') return { passed: false, reason: compiled };
      plan = compiled;
    }
    if (plan === fixed ? fixedBounded : isBoundedPlan(plan))
      return evaluatePlan(text, plan, subject.value, context.text);
    return {
      kind: 'jsonpath',
      dialect,
      condition: text,
      value: subject.value,
      context: context.text,
    };
  };
  return {
    kind: 'jsonpath',
    condition,
    notes,
    context,
    version,
    expressions: [context, ...embeddedExpressions(parts)],
    run,
  };
}

function comparisonNote(form: ComparisonForm, context: Expression): CriterionNote {
  const pointer =
    context.pointer === undefined && context.accessors === undefined
      ? singularQueryToPointer(form.query)
      : undefined;
  const filter = `$[?${form.query} ${form.operator} ${form.literalText}]`;
  const simple =
    pointer === undefined
      ? undefined
      : `${context.text}#${pointer} ${form.operator} ${toSimpleLiteral(form.literal)}`;
  return {
    code: 'JSONPATH_COMPARISON_FORM',
    message:
      `"${form.query} ${form.operator} ${form.literalText}" is not an RFC 9535 query (comparisons exist only inside filters); ` +
      `it is evaluated as a comparison of the node ${form.query} selects. ` +
      (simple === undefined
        ? `RFC 9535 form: ${filter} (passes when the context has at least one member)`
        : `Write it as the simple condition ${simple} (case-insensitive), or in RFC 9535 as ${filter}`),
    offset: form.operatorOffset,
    rewrite: simple ?? filter,
  };
}
