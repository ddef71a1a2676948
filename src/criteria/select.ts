/**
 * Evaluating Arazzo 1.1 Selector Objects (§Selector Object; compiled in expressions/selector.ts):
 * the selector of `type` applied to the value of `context`. What a selector yields is the
 * project's position (POSITIONS §11.10):
 *   - `jsonpointer` (RFC 6901): the value at the pointer;
 *   - `jsonpath`: a singular query (RFC 9535 §2.3.5.1 — names and indices only) selects the value
 *     of its one node; any other query selects the array of its nodelist's values (possibly
 *     empty), so the shape follows from the query, never from the data. The Goessner draft has no
 *     such notion; the same syntactic rule applies;
 *   - `xpath`: one item selects itself, several an array, a node its string value.
 *   - nothing selected (no node, a context with no value): `undefined` — like an expression that
 *     does not resolve.
 * A context of the wrong kind (text for JSON, structured data for XPath) or an engine error is a
 * reason, and the caller fails with it. Pointers and paths of names and indices are evaluated
 * here; every other query goes to the bounded worker, as conditions do (condition-worker.ts).
 */
import { JSONPointer, type JSONValue } from 'json-p3';
import {
  resolveExpression,
  selectorLabel,
  type CompiledSelector,
  type RuntimeContext,
} from '../expressions/index.js';
import { kindOf } from '../expressions/evaluate-expression.js';
import { evaluateTask, type ConditionBounds } from './condition-worker.js';
import type { SelectTask } from './criterion-task.js';
import { CriterionError } from './errors.js';
import { compileJsonPath, type JsonPathDialect } from './jsonpath.js';
import { singularQueryToPointer } from './jsonpath-comparison.js';
import { checkXPathSyntax } from './xpath.js';

interface Plan {
  /** A pointer that selects the same node (pointers, and paths of names and indices). */
  readonly pointer?: string;
  readonly singular: boolean;
  readonly dialect?: JsonPathDialect;
}

/** A selector that does not parse: `offset` is in the selector text. */
export interface SelectorProblem {
  readonly code: 'JSONPATH_SYNTAX' | 'XPATH_SYNTAX' | 'POINTER_SYNTAX';
  readonly message: string;
  readonly offset: number;
}

const plans = new WeakMap<CompiledSelector, Plan | SelectorProblem>();

/** A selector's syntax problem, if any (checked when the document loads; cached). */
export function checkSelector(selector: CompiledSelector): SelectorProblem | undefined {
  const plan = planOf(selector);
  return 'code' in plan ? plan : undefined;
}

/**
 * Whether a selector selects one value (a JSON Pointer, a singular JSONPath query) or an array
 * (any other JSONPath query); undefined for XPath, where the data decides, and for a selector
 * that does not parse. POSITIONS §11.10.
 */
export function selectsOneValue(selector: CompiledSelector): boolean | undefined {
  const plan = planOf(selector);
  if ('code' in plan || selector.type.type === 'xpath') return undefined;
  return plan.singular;
}

function planOf(selector: CompiledSelector): Plan | SelectorProblem {
  let plan = plans.get(selector);
  if (plan === undefined) plans.set(selector, (plan = planSelector(selector)));
  return plan;
}

function planSelector(selector: CompiledSelector): Plan | SelectorProblem {
  const text = selector.selector;
  const problem = (code: SelectorProblem['code'], error: unknown): SelectorProblem => ({
    code,
    message: error instanceof Error ? error.message : String(error),
    offset: error instanceof CriterionError ? error.offset : 0,
  });
  switch (selector.type.type) {
    case 'jsonpointer':
      try {
        new JSONPointer(text);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        return problem('POINTER_SYNTAX', `invalid JSON Pointer (RFC 6901): ${detail}`);
      }
      return { pointer: text, singular: true };
    case 'jsonpath': {
      const dialect: JsonPathDialect =
        selector.type.version === 'draft-goessner-dispatch-jsonpath-00' ? 'goessner' : 'rfc9535';
      let singular: boolean;
      try {
        singular = compileJsonPath(text, dialect).singular;
      } catch (error) {
        return problem('JSONPATH_SYNTAX', error);
      }
      const pointer = singularQueryToPointer(text);
      return pointer === undefined ? { singular, dialect } : { pointer, singular: true, dialect };
    }
    case 'xpath':
      try {
        checkXPathSyntax(text);
      } catch (error) {
        return problem('XPATH_SYNTAX', error);
      }
      return { singular: false };
  }
}

export interface SelectOptions extends ConditionBounds {
  readonly signal?: AbortSignal;
}

export type SelectionsOutcome =
  | { readonly ok: true; readonly selections: Map<CompiledSelector, unknown> }
  | { readonly ok: false; readonly reason: string };

/**
 * Evaluates `selectors` against `ctx`, in order. The first one that cannot be evaluated ends it
 * with its reason (naming the selector); never rejects.
 */
export async function resolveSelections(
  selectors: readonly CompiledSelector[],
  ctx: RuntimeContext,
  options: SelectOptions = {},
): Promise<SelectionsOutcome> {
  const selections = new Map<CompiledSelector, unknown>();
  for (const selector of selectors) {
    if (selections.has(selector)) continue;
    const result = await select(selector, ctx, options);
    if ('reason' in result)
      return { ok: false, reason: `${selectorLabel(selector)}: ${result.reason}` };
    selections.set(selector, result.value);
  }
  return { ok: true, selections };
}

/** One selector's selection: its value (`undefined`: nothing), or why it has none. */
export async function select(
  selector: CompiledSelector,
  ctx: RuntimeContext,
  options: SelectOptions = {},
): Promise<{ readonly value: unknown } | { readonly reason: string }> {
  const plan = planOf(selector);
  if ('code' in plan) return { reason: plan.message };
  const resolution = resolveExpression(selector.context, ctx);
  if (!resolution.found || resolution.value === null || resolution.value === undefined)
    return { value: undefined };
  const value = resolution.value;
  const xml = selector.type.type === 'xpath';
  if (xml !== (typeof value === 'string')) {
    return {
      reason: xml
        ? `context ${selector.context.text} is ${kindOf(value)}, not XML text`
        : `context ${selector.context.text} is text, not structured data (a JSON value)`,
    };
  }
  if (plan.pointer !== undefined) {
    const found: unknown = new JSONPointer(plan.pointer).resolve(value as JSONValue, UNSET);
    return { value: found === UNSET ? undefined : found };
  }
  const task: SelectTask = {
    kind: 'select',
    engine: plan.dialect ?? 'xpath',
    selector: selector.selector,
    value,
    singular: plan.singular,
    context: selector.context.text,
  };
  const result = await evaluateTask(task, options, options.signal);
  return result.passed ? { value: result.value } : { reason: result.reason };
}

/** A default no JSON value can be, so "found `null`" and "not found" stay apart. */
const UNSET = Symbol('unset') as unknown as JSONValue;
