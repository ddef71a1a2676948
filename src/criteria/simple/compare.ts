/**
 * The value semantics of simple conditions. Arazzo 1.0.1 §Criterion Object says only "String
 * comparisons MUST be case insensitive"; 1.1 §Condition Evaluation adds "Numeric strings SHOULD be
 * coerced to numbers when compared with numeric operators" and "`null` only equals itself". The
 * rest is our position (POSITIONS §5.1), written down in README.md ("Expressions and conditions"):
 *
 *   - An operand that does not resolve (`undefined`) makes any comparison *unknown*; unknown never
 *     passes, and `!unknown` is unknown (so neither `$x == 1` nor `$x != 1` passes for a missing `$x`).
 *   - `null == null` is true; `null` equals nothing else.
 *   - Two strings compare case-insensitively (Unicode default case conversion, both sides), and
 *     are ordered by code point after that.
 *   - A number and a numeric string compare as numbers (`$response.header.X-Count > 5`). Two
 *     strings compare as strings, even if both look numeric.
 *   - Booleans equal only booleans (`true == 'true'` is false): no other coercion.
 *   - Arrays/objects are equal when they have the same members, compared with these same rules.
 *   - Ordering (`< <= > >=`) is defined for number/number, number/numeric string and
 *     string/string; any other pair is false.
 */
import type { ComparisonOperator } from './tokenize.js';

/** Three-valued result: `undefined` is "unknown" (an operand did not resolve or is not a boolean). */
export type Truth = boolean | undefined;

export function compareValues(operator: ComparisonOperator, left: unknown, right: unknown): Truth {
  if (left === undefined || right === undefined) return undefined;
  switch (operator) {
    case '==':
      return equals(left, right);
    case '!=':
      return !equals(left, right);
    case '<':
      return order(left, right, (c) => c < 0);
    case '<=':
      return order(left, right, (c) => c <= 0);
    case '>':
      return order(left, right, (c) => c > 0);
    case '>=':
      return order(left, right, (c) => c >= 0);
  }
}

/**
 * How a value counts where a boolean is needed (`&&`, `||`, `!`, the whole condition): 1.1 says a
 * condition passes when it "evaluates to `true`" and fails on `false` or `null`. Anything else
 * (a number, a string, an object, a missing value) is unknown: neither `x` nor `!x` passes.
 */
export function truth(value: unknown): Truth {
  if (value === true) return true;
  if (value === false || value === null) return false;
  return undefined;
}

export function equals(left: unknown, right: unknown): boolean {
  if (left === null || right === null) return left === right;
  if (typeof left === 'string' && typeof right === 'string') return fold(left) === fold(right);
  if (typeof left === 'number' && typeof right === 'number') return left === right;
  if (typeof left === 'number' && typeof right === 'string') return left === numericString(right);
  if (typeof left === 'string' && typeof right === 'number') return numericString(left) === right;
  if (typeof left === 'boolean' || typeof right === 'boolean') return left === right;
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item: unknown, i) => equals(item, right[i]))
    );
  }
  if (typeof left === 'object' && typeof right === 'object') {
    const a = left as Record<string, unknown>;
    const b = right as Record<string, unknown>;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && equals(a[key], b[key]))
    );
  }
  return false;
}

function order(left: unknown, right: unknown, test: (comparison: number) => boolean): boolean {
  if (typeof left === 'string' && typeof right === 'string') {
    return test(compareCodePoints(fold(left), fold(right)));
  }
  const a =
    typeof left === 'number' ? left : typeof right === 'number' ? numericString(left) : undefined;
  const b =
    typeof right === 'number' ? right : typeof left === 'number' ? numericString(right) : undefined;
  if (a === undefined || b === undefined) return false;
  return test(a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Case-insensitive form of a string: upper- then lower-casing applies Unicode's default case
 * mappings including the one-to-many ones ("ß" → "SS" → "ss"), which is close to full case folding.
 */
function fold(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/** A decimal number written as a string (`"42"`, `" 4.2e1 "`, `"007"`); not hex, not "Infinity". */
const NUMERIC = /^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$/;

function numericString(value: unknown): number | undefined {
  if (typeof value !== 'string' || !NUMERIC.test(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Unicode code point order (JavaScript's `<` compares UTF-16 code units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // A surrogate (part of a code point above U+FFFF) sorts after every BMP code unit.
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
