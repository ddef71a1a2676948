/**
 * Criterion Objects (Arazzo 1.0.1 §Criterion Object): simple, regex, jsonpath and xpath
 * conditions, compiled once and evaluated to pass/fail with a reason. Never evaluated as JavaScript.
 * The semantics are written down in README.md, "Expressions and conditions".
 */
export type {
  CompiledCriterion,
  CriterionKind,
  CriterionNote,
  CriterionNoteCode,
  CriterionResult,
} from './compiled-criterion.js';
export {
  CriterionError,
  isCriterionError,
  type CriterionErrorCode,
  type CriterionField,
} from './errors.js';
export { compileCriterion } from './compile-criterion.js';
export { evaluateCriterion, type EvaluateOptions } from './evaluate-criterion.js';
export { CONDITION_BOUNDS, type ConditionBounds } from './condition-worker.js';
export {
  compileJsonPath,
  jsonPathDialectOf,
  type CompiledJsonPath,
  type JsonPathDialect,
} from './jsonpath.js';
export { checkXPathSyntax } from './xpath.js';
export {
  checkSelector,
  resolveSelections,
  select,
  selectsOneValue,
  type SelectOptions,
  type SelectionsOutcome,
  type SelectorProblem,
} from './select.js';
