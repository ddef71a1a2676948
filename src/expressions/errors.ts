/**
 * Parse errors for runtime expressions. Every error has a stable `code` (public API: `validate`
 * and tests match on it) and the 0-based character `offset` inside the parsed text, so a caller
 * can add the string's own position in the YAML and point at the exact column.
 */

export type ExpressionErrorCode =
  /** The text is empty. */
  | 'EMPTY'
  /** A whole-value expression must start with `$`. */
  | 'EXPECTED_DOLLAR'
  /** `$foo`: not one of `$url $method $statusCode $request $response $inputs $outputs $steps $workflows $sourceDescriptions $components`. */
  | 'UNKNOWN_ROOT'
  /** `$inputs` with no `.name`, `$request` with no `.source`, … */
  | 'EXPECTED_DOT'
  /** An empty or invalid name, id, header token or accessor name. */
  | 'EXPECTED_NAME'
  /** `$request.foo`: the source must be `header`, `query`, `path` or `body`. */
  | 'UNKNOWN_SOURCE'
  /** `$steps.<id>.` must continue with `outputs.`. */
  | 'EXPECTED_OUTPUTS'
  /** `$workflows.<id>.` must continue with `inputs.` or `outputs.`. */
  | 'EXPECTED_INPUTS_OR_OUTPUTS'
  /** `$components.<type>`: type must be `inputs`, `parameters`, `successActions` or `failureActions`. */
  | 'UNKNOWN_COMPONENT_TYPE'
  /** A `#` suffix that is not an RFC 6901 pointer (must start with `/`; `~` only as `~0`/`~1`). */
  | 'INVALID_POINTER'
  /** A `[` accessor that is not `[<non-negative integer>]`. */
  | 'INVALID_ACCESSOR'
  /** Characters after a complete expression (e.g. `$url/x`, `$inputs.a b` as a whole value). */
  | 'TRAILING_CHARACTERS'
  /** `{$…` with no closing `}`, or a braced expression followed by something other than `}`. */
  | 'UNCLOSED_BRACE'
  /** 1.1 Selector Object without a string `context` / `selector` or with no valid `type`. */
  | 'INVALID_SELECTOR';

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly code: ExpressionErrorCode;
  /** 0-based character offset inside the text that was parsed (the string value, for `compileValue`). */
  readonly offset: number;
  /** For `compileValue`: where the string is inside the raw value (object keys and array indices). */
  readonly path: readonly (string | number)[];

  constructor(
    code: ExpressionErrorCode,
    message: string,
    offset: number,
    path: readonly (string | number)[] = [],
  ) {
    super(message);
    this.code = code;
    this.offset = offset;
    this.path = path;
  }

  /** The same error, located inside a larger value (used by `compileValue`). */
  at(path: readonly (string | number)[]): ExpressionError {
    return new ExpressionError(this.code, this.message, this.offset, path);
  }
}

export function isExpressionError(value: unknown): value is ExpressionError {
  return value instanceof ExpressionError;
}
