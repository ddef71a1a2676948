/**
 * `type: regex` (Arazzo 1.0.1 §Criterion Object: "a regex pattern is applied on the supplied
 * context"). The dialect is unspecified (upstream #515); our position (POSITIONS §5.2):
 * ECMAScript `RegExp` with the `u` flag, unanchored (`test`, so authors anchor with `^…$`, as the
 * spec's own `'^200$'` example does). The context value is matched as text: strings as they are,
 * numbers and booleans by `String()` (the spec's example matches `$statusCode`), arrays and
 * objects as JSON. A `null`/`undefined` context fails (1.1 §Regex Conditions).
 */
import { CriterionError } from './errors.js';

export function compileRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).replace(
      /^Invalid regular expression: /,
      '',
    );
    // V8's message gives no position, so the error points at the start of the condition.
    throw new CriterionError('REGEX_INVALID', `invalid regular expression: ${detail}`, 0, {
      cause: error,
    });
  }
}

/** The text a regex is applied to, or `undefined` for a missing or `null` context. */
export function regexSubject(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}
