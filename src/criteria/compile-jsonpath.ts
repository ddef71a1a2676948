/**
 * Compiling a `jsonpath` criterion (Arazzo 1.0.1 §Criterion Object; pass/fail per 1.1 §JSONPath
 * Conditions, adopted: "passes when the JSONPath expression returns a non-empty nodelist"; a
 * `null`/`undefined` context or a syntax error fails — and a syntax error is a compile error here,
 * never a silent `false`).
 *
 * A condition that is not a valid query but has the form `<query> <op> <literal>` is evaluated
 * as a comparison of the selected node (jsonpath-comparison.ts; SPEC-NOTES §5.3) and noted.
 */
import { hasExpressions, type Expression, type RuntimeContext } from '../expressions/index.js';
import type { CompiledCriterion, CriterionNote, CriterionResult } from './compiled-criterion.js';
import { contextValue } from './criterion-context.js';
import { CriterionError } from './errors.js';
import { formatValue } from './format.js';
import { compileJsonPath, type CompiledJsonPath, type JsonPathDialect } from './jsonpath.js';
import {
  compareJsonPath,
  singularQueryToPointer,
  splitComparison,
  toSimpleLiteral,
  type ComparisonForm,
} from './jsonpath-comparison.js';
import { CompileCache, embeddedExpressions, parseCondition, substitute } from './substitute.js';

type Plan =
  | { readonly kind: 'query'; readonly query: CompiledJsonPath }
  | {
      readonly kind: 'comparison';
      readonly query: CompiledJsonPath;
      readonly form: ComparisonForm;
    };

/** A condition → query or comparison plan; throws the query's JSONPATH_SYNTAX error if neither. */
export function planJsonPath(condition: string, dialect: JsonPathDialect): Plan {
  if (dialect === 'goessner') {
    // A comparison operator outside brackets is never part of a Goessner path, so check it first
    // (jsonpath-plus would otherwise read `$.status == "x"` as an odd member name and match nothing).
    const form = splitComparison(condition);
    if (form !== undefined)
      return { kind: 'comparison', form, query: compileJsonPath(form.query, dialect) };
    return { kind: 'query', query: compileJsonPath(condition, dialect) };
  }
  try {
    return { kind: 'query', query: compileJsonPath(condition, dialect) };
  } catch (error) {
    const form = error instanceof CriterionError ? splitComparison(condition) : undefined;
    if (form === undefined) throw error;
    let query: CompiledJsonPath;
    try {
      query = compileJsonPath(form.query, dialect);
    } catch {
      throw error;
    }
    return { kind: 'comparison', form, query };
  }
}

export function compileJsonPathCriterion(
  condition: string,
  context: Expression,
  version: string,
  typeNotes: readonly CriterionNote[],
): CompiledCriterion {
  const dialect: JsonPathDialect =
    version === 'draft-goessner-dispatch-jsonpath-00' ? 'goessner' : 'rfc9535';
  const parts = parseCondition(condition);
  const fixed = hasExpressions(parts) ? undefined : planJsonPath(condition, dialect);
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
  const run = (ctx: RuntimeContext): CriterionResult => {
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
    let nodes: unknown[];
    try {
      nodes = plan.query.query(subject.value);
    } catch (error) {
      return {
        passed: false,
        reason: `${text}: JSONPath evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    return plan.kind === 'query'
      ? queryResult(text, nodes, context, subject.value)
      : comparisonResult(text, plan.form, nodes);
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

function queryResult(
  text: string,
  nodes: readonly unknown[],
  context: Expression,
  value: unknown,
): CriterionResult {
  if (nodes.length > 0) return { passed: true };
  const hint =
    /^\$\[\?/.test(text) && typeof value === 'object' && value !== null && !Array.isArray(value)
      ? ' (the context is an object: a root filter $[?…] tests its member values, not the object)'
      : '';
  return { passed: false, reason: `${text} selects no nodes in context ${context.text}${hint}` };
}

function comparisonResult(
  text: string,
  form: ComparisonForm,
  nodes: readonly unknown[],
): CriterionResult {
  if (nodes.length === 0)
    return { passed: false, reason: `${text}, but ${form.query} selects nothing` };
  if (nodes.length > 1) {
    return {
      passed: false,
      reason: `${text}, but ${form.query} selects ${nodes.length} nodes (a comparison needs exactly one)`,
    };
  }
  const node = nodes[0];
  if (compareJsonPath(form.operator, node, form.literal)) return { passed: true };
  return { passed: false, reason: `${text}, but ${form.query} is ${formatValue(node)}` };
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
