/**
 * Strings with embedded expressions (Arazzo 1.0.1 §Runtime Expressions: "Expressions can be
 * embedded into string values by surrounding the expression with `{}` curly braces"; the 1.1
 * `expression-string` ABNF makes the boundary exact: an embedded expression ends at the first `}`).
 *
 * Recognition rules (POSITIONS §4.3):
 *   - `{` followed by `$` and a known root (`{$inputs.x}`) is an embedded expression; inside it
 *     must be exactly one expression, else ExpressionError (`UNCLOSED_BRACE`, …).
 *   - `{` followed by anything else is literal text (JSON text payloads, regex quantifiers).
 *   - with `unbraced: true` (parameter values and payloads — not conditions, where `$` is also the
 *     JSONPath root), a `$` starting a known root (`"Bearer $inputs.token"`) is accepted as if it
 *     were braced: published documents use this form. `validate` reports it (see compile-value).
 *   - any other `$` (`"costs $5"`, `"$ref"`) is literal text: there is no escape mechanism in
 *     1.0.1 (upstream #363), so only text that names an expression root is taken as one.
 */
import type { Expression } from './ast.js';
import { ExpressionError } from './errors.js';
import type { SpecVersion } from '../document/constants.js';
import { scanExpression, startsKnownRoot } from './scan.js';
import { stringifyEmbedded } from './stringify.js';
import type { RuntimeContext } from './context.js';
import { evaluateExpression } from './evaluate-expression.js';

export interface TemplateExpressionPart {
  readonly expression: Expression;
  /** Offset of the `{` (braced) or `$` (unbraced) in the template string. */
  readonly offset: number;
  /** Offset just past the `}` (braced) or the expression (unbraced). */
  readonly end: number;
  readonly braced: boolean;
}

/** Literal text and embedded expressions, in order; adjacent literal text is merged. */
export type TemplatePart = string | TemplateExpressionPart;

export interface TemplateOptions {
  /** Accept `$root…` without braces (values and payloads only). */
  readonly unbraced: boolean;
  /** The grammar of the document's Arazzo version (default 1.0). */
  readonly version?: SpecVersion;
}

export function parseTemplate(text: string, options: TemplateOptions): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const version = options.version ?? '1.0';
  let literal = '';
  let i = 0;
  const flush = (): void => {
    if (literal !== '') parts.push(literal);
    literal = '';
  };
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '{' && startsKnownRoot(text, i + 1, version)) {
      const { expression, end } = scanExpression(text, i + 1, 'braced', version);
      if (text.charAt(end) !== '}') {
        throw end >= text.length
          ? new ExpressionError('UNCLOSED_BRACE', 'missing "}" to close the embedded expression', i)
          : new ExpressionError(
              'UNCLOSED_BRACE',
              `expected "}" after the embedded expression ${expression.text}, found "${text.charAt(end)}"`,
              end,
            );
      }
      flush();
      parts.push({ expression, offset: i, end: end + 1, braced: true });
      i = end + 1;
    } else if (c === '$' && options.unbraced && startsKnownRoot(text, i, version)) {
      const { expression, end } = scanExpression(text, i, 'unbraced', version);
      flush();
      parts.push({ expression, offset: i, end, braced: false });
      i = end;
    } else {
      literal += c;
      i++;
    }
  }
  flush();
  return parts;
}

/** True when the template contains at least one expression. */
export function hasExpressions(parts: readonly TemplatePart[]): boolean {
  return parts.some((part) => typeof part !== 'string');
}

export interface TemplateResult {
  readonly value: string;
  /** Texts of the expressions that did not resolve (their place is left empty). */
  readonly unresolved: string[];
}

export function evaluateTemplate(
  parts: readonly TemplatePart[],
  ctx: RuntimeContext,
): TemplateResult {
  let value = '';
  const unresolved: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      value += part;
      continue;
    }
    const result = evaluateExpression(part.expression, ctx);
    if (result === undefined) unresolved.push(part.expression.text);
    else value += stringifyEmbedded(result);
  }
  return { value, unresolved };
}
