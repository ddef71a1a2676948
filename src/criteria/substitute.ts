/**
 * `{$…}` inside regex, jsonpath and xpath conditions. 1.0.1 is silent; Arazzo 1.1 §Criterion
 * Object, "Runtime Expressions in Conditions": "runtime expressions MUST be embedded within the
 * `condition` string using `{}` curly braces. The runtime expressions are evaluated first, then
 * substituted into the condition string before the expression is evaluated" — adopted (POSITIONS
 * §5.3). Only braced expressions count here (an unbraced `$` is the JSONPath root / an XPath
 * variable / a regex anchor), and only `{$` + a known root (`{2}` in a regex stays a quantifier).
 */
import {
  ExpressionError,
  parseTemplate,
  resolveExpression,
  stringifyEmbedded,
  type Expression,
  type RuntimeContext,
  type TemplatePart,
} from '../expressions/index.js';
import type { SpecVersion } from '../document/constants.js';
import { CriterionError } from './errors.js';

export function parseCondition(condition: string, version: SpecVersion): TemplatePart[] {
  try {
    return parseTemplate(condition, { unbraced: false, version });
  } catch (error) {
    if (error instanceof ExpressionError) {
      throw new CriterionError(
        'EXPRESSION_INVALID',
        `invalid embedded runtime expression: ${error.message}`,
        error.offset,
        { expressionCode: error.code, cause: error },
      );
    }
    throw error;
  }
}

export function embeddedExpressions(parts: readonly TemplatePart[]): Expression[] {
  return parts.flatMap((part) => (typeof part === 'string' ? [] : [part.expression]));
}

/** The condition with every `{$…}` replaced, or why it could not be built. */
export function substitute(
  parts: readonly TemplatePart[],
  ctx: RuntimeContext,
): { readonly text: string } | { readonly reason: string } {
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const resolution = resolveExpression(part.expression, ctx);
    if (!resolution.found) {
      return {
        reason: `{${part.expression.text}} in the condition is undefined (${resolution.why})`,
      };
    }
    text += stringifyEmbedded(resolution.value);
  }
  return { text };
}
