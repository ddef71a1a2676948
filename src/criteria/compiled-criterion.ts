/**
 * What `compileCriterion` produces and `evaluateCriterion` consumes. The kind-specific evaluator is
 * built at compile time, so evaluation does no parsing (the document is compiled once, at load).
 */
import type { Expression, RuntimeContext } from '../expressions/index.js';
import type { CriterionTask } from './criterion-task.js';
import type { CriterionField } from './errors.js';

export type CriterionKind = 'simple' | 'regex' | 'jsonpath' | 'xpath';

export type CriterionNoteCode =
  /** `$.status == "running"` with `type: jsonpath`: not RFC 9535; evaluated as a comparison (POSITIONS §5.3). */
  | 'JSONPATH_COMPARISON_FORM'
  /** `$[?@.x …]`: the filter tests the root's children, not the root (POSITIONS §5.3, A3). */
  | 'JSONPATH_ROOT_FILTER'
  /** `"…"` in a simple condition: the spec says strings use single quotes. */
  | 'DOUBLE_QUOTED_STRING'
  /** `$response.body.id` / `[0]` in a simple condition: the spec form is a `#/…` pointer. */
  | 'DOT_NAVIGATION'
  /** `type: jsonpath` + sibling `version` (the published schema's shape) instead of a nested object. */
  | 'FLAT_EXPRESSION_TYPE'
  /** `rfc9535` / `xpath-31`: identifiers defined by Arazzo 1.1, not 1.0.1. */
  | 'VERSION_FROM_ARAZZO_1_1'
  /** `xpath-10`/`20`/`30`: evaluated by the XPath 3.1 engine (see xpath.ts). */
  | 'XPATH_VERSION_EMULATED';

/** A fact for `validate` (warning/hint); evaluation does not depend on it. */
export interface CriterionNote {
  readonly code: CriterionNoteCode;
  readonly message: string;
  /** Offset inside `field` (default `condition`). */
  readonly offset: number;
  readonly field?: CriterionField;
  /** A suggested replacement for the condition (or the field named by `field`). */
  readonly rewrite?: string;
}

export interface CriterionResult {
  readonly passed: boolean;
  /** When failed: one line saying why, with actual values. */
  readonly reason?: string;
}

export interface CompiledCriterion {
  readonly kind: CriterionKind;
  readonly condition: string;
  readonly notes: readonly CriterionNote[];
  /** The parsed `context`, when given. */
  readonly context?: Expression;
  /** The effective dialect: `rfc9535` | `draft-goessner-dispatch-jsonpath-00` | `xpath-10`…`xpath-31`. */
  readonly version?: string;
  /** Every runtime expression the criterion reads (context, operands, `{…}` substitutions). */
  readonly expressions: readonly Expression[];
  /**
   * The kind-specific evaluator: the result, or — for work whose cost has no bound of its own —
   * the task to evaluate in the bounded worker. Call `evaluateCriterion`, which does that and
   * also guarantees it never rejects.
   */
  readonly run: (ctx: RuntimeContext) => CriterionResult | CriterionTask;
}
