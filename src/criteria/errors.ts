/**
 * Compile errors for Criterion Objects (Arazzo 1.0.1 §Criterion Object). A stable `code`, the
 * 0-based `offset` inside the field named by `field` (normally the `condition`), and a message.
 * Evaluation never throws: run-time problems become a failed criterion with a reason.
 */
import type { ExpressionErrorCode } from '../expressions/index.js';

export type CriterionErrorCode =
  /** `condition` is missing, not a string, or blank. */
  | 'CONDITION_MISSING'
  /** `type` is not `simple`, `regex`, `jsonpath`, `xpath` or an expression type object. */
  | 'UNKNOWN_TYPE'
  /** An expression type object whose `type` is not `jsonpath`/`xpath`, or that is malformed. */
  | 'INVALID_EXPRESSION_TYPE'
  /** An expression type object without its REQUIRED `version`. */
  | 'VERSION_MISSING'
  /** A `version` not allowed for the type (e.g. `xpath-40`, or a JSONPath version for XPath). */
  | 'UNSUPPORTED_VERSION'
  /** A sibling `version` on a criterion whose type has no versions (`simple`, `regex`). */
  | 'VERSION_NOT_APPLICABLE'
  /** A nested `type.version` and a different sibling `version`. */
  | 'VERSION_CONFLICT'
  /** `regex`/`jsonpath`/`xpath` without a `context` ("the `context` MUST be provided"). */
  | 'CONTEXT_REQUIRED'
  /** A runtime expression (in `context` or inside the condition) does not parse; see `expressionCode`. */
  | 'EXPRESSION_INVALID'
  // Simple conditions (src/criteria/simple).
  /** A character that cannot start any token (`=`, `&`, `#`, …). */
  | 'UNEXPECTED_CHARACTER'
  /** A token where it cannot appear (`== 1`, `1 1`, `)`). */
  | 'UNEXPECTED_TOKEN'
  /** The condition ends where an operand or `)` is required. */
  | 'UNEXPECTED_END'
  /** `'abc` with no closing quote. */
  | 'UNTERMINATED_STRING'
  /** A malformed number (`01`, `1.`, `1e`, `1x`). */
  | 'INVALID_NUMBER'
  /** A bare word that is not `true`, `false` or `null` (strings must be quoted). */
  | 'UNKNOWN_IDENTIFIER'
  /** More than 200 nested levels (guards the recursive parser and evaluator). */
  | 'TOO_COMPLEX'
  // The other condition types.
  | 'REGEX_INVALID'
  | 'JSONPATH_SYNTAX'
  | 'XPATH_SYNTAX';

export type CriterionField = 'condition' | 'context' | 'type' | 'version';

export class CriterionError extends Error {
  override readonly name = 'CriterionError';
  readonly code: CriterionErrorCode;
  /** 0-based character offset inside `field` (0 when the field is not a string). */
  readonly offset: number;
  readonly field: CriterionField;
  /** For `EXPRESSION_INVALID`: the underlying expression error code. */
  readonly expressionCode: ExpressionErrorCode | undefined;

  constructor(
    code: CriterionErrorCode,
    message: string,
    offset: number,
    options: { field?: CriterionField; expressionCode?: ExpressionErrorCode; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.offset = offset;
    this.field = options.field ?? 'condition';
    this.expressionCode = options.expressionCode;
  }
}

export function isCriterionError(value: unknown): value is CriterionError {
  return value instanceof CriterionError;
}
