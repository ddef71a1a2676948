/**
 * A JSONPath condition as evaluated: a query (pass on a non-empty nodelist, Arazzo 1.1 §JSONPath
 * Conditions), or the `<query> <op> <literal>` comparison form (jsonpath-comparison.ts). Used on
 * the main thread for bounded plans and in the condition worker for all others.
 */
import { CriterionError } from './errors.js';
import { formatValue } from './format.js';
import { compileJsonPath, type CompiledJsonPath, type JsonPathDialect } from './jsonpath.js';
import {
  compareJsonPath,
  singularQueryToPointer,
  splitComparison,
  type ComparisonForm,
} from './jsonpath-comparison.js';
import type { CriterionResult } from './compiled-criterion.js';

export type Plan =
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

/**
 * Whether a plan's cost is bounded by the length of its query, whatever the data: its query is a
 * singular query (RFC 9535 §2.3.5.1: name and index selectors, one per child segment), alone or
 * compared with a literal, so it visits at most one node per segment. Those are evaluated on the
 * main thread (a poll's `$.status == "running"` pays no thread round trip). Anything else —
 * descendants, wildcards, slices, several selectors, filters, functions — may visit every node
 * of the input, or the input once per node of a nested query, and goes to the bounded worker:
 * even `$[?@.a == 1]` takes 0.8 s over a 6 MB array of 400,000 objects.
 */
export function isBoundedPlan(plan: Plan): boolean {
  return singularQueryToPointer(plan.query.source) !== undefined;
}

/** Runs a plan over the context value: pass/fail with the reason the criterion gives. */
export function evaluatePlan(
  text: string,
  plan: Plan,
  value: unknown,
  context: string,
): CriterionResult {
  let nodes: unknown[];
  try {
    nodes = plan.query.query(value);
  } catch (error) {
    return {
      passed: false,
      reason: `${text}: JSONPath evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return plan.kind === 'query'
    ? queryResult(text, nodes, context, value)
    : comparisonResult(text, plan.form, nodes);
}

function queryResult(
  text: string,
  nodes: readonly unknown[],
  context: string,
  value: unknown,
): CriterionResult {
  if (nodes.length > 0) return { passed: true };
  const hint =
    /^\$\[\?/.test(text) && typeof value === 'object' && value !== null && !Array.isArray(value)
      ? ' (the context is an object: a root filter $[?…] tests its member values, not the object)'
      : '';
  return { passed: false, reason: `${text} selects no nodes in context ${context}${hint}` };
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
