/**
 * The comparison form published workflows write as a JSONPath condition: `$.status == "running"`,
 * `$.access_token != null`. It is not RFC 9535 (comparisons exist only inside `[?…]` filters), but
 * documents in the wild (including the CrewAI catalog this project ships) rely on it, and the known
 * peer behaviour — a swallowed syntax error, i.e. "always false" — silently breaks poll loops.
 * Position (POSITIONS §5.3, A2): accept `<query> <op> <literal>` as a comparison of the single
 * node the query selects (no node, or several, fails with a reason), and note it for `validate`
 * with an RFC 9535 / simple-condition rewrite.
 *
 * The comparison follows RFC 9535 §2.3.5.2.2 (it is still a JSONPath criterion): case-sensitive
 * string equality, numbers by value, deep equality for arrays/objects, ordering only between two
 * numbers or two strings (by code point); `!=` is the negation of `==`.
 */
import { compareCodePoints } from './simple/compare.js';

export type JsonPathComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type JsonLiteral = null | boolean | number | string;

export interface ComparisonForm {
  /** The query on the left, trimmed (`$.status`). */
  readonly query: string;
  readonly operator: JsonPathComparisonOperator;
  readonly operatorOffset: number;
  /** The literal's source text (`"running"`). */
  readonly literalText: string;
  readonly literal: JsonLiteral;
}

/** Splits `<query> <op> <literal>` at the first comparison operator outside brackets and strings. */
export function splitComparison(condition: string): ComparisonForm | undefined {
  let depth = 0;
  for (let i = 0; i < condition.length; i++) {
    const c = condition.charAt(i);
    if (c === "'" || c === '"') {
      const close = closingQuote(condition, i);
      if (close === -1) return undefined;
      i = close;
    } else if (c === '[' || c === '(') {
      depth++;
    } else if (c === ']' || c === ')') {
      depth--;
    } else if (depth === 0 && '=!<>'.includes(c)) {
      const two = condition.slice(i, i + 2);
      const operator: JsonPathComparisonOperator | undefined =
        two === '==' || two === '!=' || two === '<=' || two === '>='
          ? two
          : c === '<' || c === '>'
            ? c
            : undefined;
      if (operator === undefined) return undefined;
      const query = condition.slice(0, i).trim();
      const literalText = condition.slice(i + operator.length).trim();
      const literal = parseLiteral(literalText);
      if (!query.startsWith('$') || literal === undefined) return undefined;
      return { query, operator, operatorOffset: i, literalText, literal: literal.value };
    }
  }
  return undefined;
}

function closingQuote(text: string, start: number): number {
  const quote = text.charAt(start);
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\') i++;
    else if (c === quote) return i;
  }
  return -1;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** An RFC 9535 §2.3.5.1 literal: number, string ('…' or "…" with JSON escapes), true, false, null. */
export function parseLiteral(text: string): { readonly value: JsonLiteral } | undefined {
  if (text === 'true') return { value: true };
  if (text === 'false') return { value: false };
  if (text === 'null') return { value: null };
  if (NUMBER.test(text)) return { value: Number(text) };
  const quote = text.charAt(0);
  if ((quote !== "'" && quote !== '"') || text.length < 2 || !text.endsWith(quote))
    return undefined;
  let value = '';
  for (let i = 1; i < text.length - 1; i++) {
    const c = text.charAt(i);
    if (c === quote || c.charCodeAt(0) < 0x20) return undefined;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = text.charAt(++i);
    const simple: Record<string, string> = {
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      '/': '/',
      '\\': '\\',
    };
    if (e === quote) value += quote;
    else if (Object.hasOwn(simple, e)) value += simple[e];
    else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 1, i + 5))) {
      value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else return undefined;
  }
  // An escaped surrogate pair was appended as two code units; a lone surrogate is not a string.
  return LONE_SURROGATE.test(value) ? undefined : { value };
}

export function compareJsonPath(
  operator: JsonPathComparisonOperator,
  node: unknown,
  literal: JsonLiteral,
): boolean {
  switch (operator) {
    case '==':
      return jsonEquals(node, literal);
    case '!=':
      return !jsonEquals(node, literal);
    case '<':
      return less(node, literal);
    case '<=':
      return less(node, literal) || jsonEquals(node, literal);
    case '>':
      return less(literal, node);
    case '>=':
      return less(literal, node) || jsonEquals(node, literal);
  }
}

function less(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b) < 0;
  return false;
}

export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item: unknown, i) => jsonEquals(item, b[i]))
    );
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = Object.keys(x);
    return (
      keys.length === Object.keys(y).length &&
      keys.every((k) => Object.hasOwn(y, k) && jsonEquals(x[k], y[k]))
    );
  }
  return false;
}

/** `$.a.b[0]['c d']` → `/a/b/0/c d` (RFC 6901), or undefined if the query is not that simple. */
export function singularQueryToPointer(query: string): string | undefined {
  const segment =
    /\.([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)|\[(0|[1-9][0-9]*)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\]/y;
  if (!query.startsWith('$')) return undefined;
  let pointer = '';
  let i = 1;
  while (i < query.length) {
    segment.lastIndex = i;
    const match = segment.exec(query);
    if (match === null) return undefined;
    const token = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
    pointer += '/' + token.replaceAll('~', '~0').replaceAll('/', '~1');
    i = segment.lastIndex;
  }
  return pointer;
}

/** A literal as a simple-condition literal (single quotes, `''` escape). */
export function toSimpleLiteral(literal: JsonLiteral): string {
  return typeof literal === 'string'
    ? `'${literal.replaceAll("'", "''")}'`
    : JSON.stringify(literal);
}
