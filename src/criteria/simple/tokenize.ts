/**
 * Tokens of a simple condition (Arazzo 1.0.1 §Criterion Object, "Literals" and "Operators").
 *
 * Literals: `true`, `false`, `null`; numbers in JSON syntax ("Any number format supported in Data
 * Types" — JSON Schema numbers, written as JSON); strings in single quotes with `''` for a quote
 * ("Strings MUST use single quotes"), and — for published documents — in double quotes with `""`
 * for a quote (a note asks for single quotes). Backslash is an ordinary character in both.
 * Operators: `< <= > >= == != ! && || ( )`. Operands: runtime expressions, which the expression
 * scanner reads in `condition` mode together with their `.name` / `[n]` accessors (the `.` and
 * `[]` rows of the Operators table); an operand ends at whitespace, `(`, `)` or an operator.
 */
import type { SpecVersion } from '../../document/constants.js';
import type { Expression } from '../../expressions/index.js';
import { ExpressionError } from '../../expressions/index.js';
import { scanExpression } from '../../expressions/scan.js';
import { CriterionError } from '../errors.js';
import { unknownWordMessage } from './word-hint.js';

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type Punctuation = ComparisonOperator | '&&' | '||' | '!' | '(' | ')';

export type Token =
  | {
      readonly kind: 'punct';
      readonly value: Punctuation;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'string';
      readonly value: string;
      readonly quote: "'" | '"';
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'number';
      readonly value: number;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'keyword';
      readonly value: boolean | null;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'expression';
      readonly value: Expression;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'end'; readonly start: number; readonly end: number };

/** RFC 8259 §6 number, anchored at the current position (sticky). */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const KEYWORDS: ReadonlyMap<string, boolean | null> = new Map([
  ['true', true],
  ['false', false],
  ['null', null],
]);

export function tokenize(source: string, version: SpecVersion = '1.0'): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (
      two === '==' ||
      two === '!=' ||
      two === '<=' ||
      two === '>=' ||
      two === '&&' ||
      two === '||'
    ) {
      tokens.push({ kind: 'punct', value: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '<' || c === '>' || c === '!' || c === '(' || c === ')') {
      tokens.push({ kind: 'punct', value: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const token = readString(source, i, c);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (c === '-' || /[0-9]/.test(c)) {
      const token = readNumber(source, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (c === '$') {
      try {
        const { expression, end } = scanExpression(source, i, 'condition', version);
        tokens.push({ kind: 'expression', value: expression, start: i, end });
        i = end;
      } catch (error) {
        if (error instanceof ExpressionError) {
          throw new CriterionError(
            'EXPRESSION_INVALID',
            `invalid runtime expression: ${error.message}`,
            error.offset,
            { expressionCode: error.code, cause: error },
          );
        }
        throw error;
      }
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(source)?.[0];
    if (word !== undefined) {
      const keyword = KEYWORDS.get(word);
      if (keyword === undefined) {
        const previous = tokens.at(-1);
        const message = unknownWordMessage({
          source,
          start: i,
          word,
          afterOperand:
            previous !== undefined && (previous.kind !== 'punct' || previous.value === ')'),
          expression: previous?.kind === 'expression' ? previous.value : undefined,
          nextString: stringAfter(source, i + word.length),
        });
        throw new CriterionError('UNKNOWN_IDENTIFIER', message, i);
      }
      tokens.push({ kind: 'keyword', value: keyword, start: i, end: i + word.length });
      i += word.length;
      continue;
    }
    throw new CriterionError('UNEXPECTED_CHARACTER', unexpectedCharacter(c), i);
  }
  tokens.push({ kind: 'end', start: source.length, end: source.length });
  return tokens;
}

function readString(source: string, start: number, quote: "'" | '"'): Token {
  let value = '';
  let i = start + 1;
  for (;;) {
    const at = source.indexOf(quote, i);
    if (at === -1) {
      throw new CriterionError(
        'UNTERMINATED_STRING',
        `missing closing ${quote} for the string`,
        start,
      );
    }
    value += source.slice(i, at);
    // A doubled quote is one literal quote (§Criterion Object, Literals: "escape the literal
    // single quote using an additional single quote").
    if (source.charAt(at + 1) === quote) {
      value += quote;
      i = at + 2;
      continue;
    }
    return { kind: 'string', value, quote, start, end: at + 1 };
  }
}

/** The value of the string literal after `from` (spaces skipped), if one is there. */
function stringAfter(source: string, from: number): string | undefined {
  let at = from;
  while (/\s/u.test(source.charAt(at))) at++;
  const quote = source.charAt(at);
  if (quote !== "'" && quote !== '"') return undefined;
  try {
    const token = readString(source, at, quote);
    return token.kind === 'string' ? token.value : undefined;
  } catch (error) {
    if (error instanceof CriterionError) return undefined;
    throw error;
  }
}

function readNumber(source: string, start: number): Token {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(source);
  if (match === null) {
    throw source.charAt(start) === '-'
      ? new CriterionError('UNEXPECTED_CHARACTER', '"-" must be followed by a number', start)
      : new CriterionError('INVALID_NUMBER', 'invalid number', start);
  }
  const end = start + match[0].length;
  // "01", "1.", "1e", "1x", "1.2.3": the number must not run into more number-ish characters.
  if (/[0-9A-Za-z_.]/.test(source.charAt(end))) {
    throw new CriterionError(
      'INVALID_NUMBER',
      `invalid number "${source.slice(start, end + 1)}" (numbers are written as in JSON)`,
      start,
    );
  }
  return { kind: 'number', value: Number(match[0]), start, end };
}

function unexpectedCharacter(c: string): string {
  switch (c) {
    case '=':
      return 'unexpected "=" (equality is "==")';
    case '&':
      return 'unexpected "&" (logical and is "&&")';
    case '|':
      return 'unexpected "|" (logical or is "||")';
    case '{':
    case '}':
      return `unexpected "${c}" (in a simple condition runtime expressions are written without braces)`;
    default:
      return `unexpected character "${c}"`;
  }
}
