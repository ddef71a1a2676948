/**
 * The Criterion `context` (Arazzo 1.0.1 §Criterion Object: "A Runtime Expression used to set the
 * context for the condition to be applied on"): parsed at compile time, resolved at run time.
 * A context that does not resolve, or is `null`, fails the criterion (1.1 §Condition Evaluation).
 */
import {
  ExpressionError,
  parseExpression,
  resolveExpression,
  type Expression,
  type RuntimeContext,
} from '../expressions/index.js';
import type { SpecVersion } from '../document/constants.js';
import { CriterionError } from './errors.js';

export function parseContext(
  context: unknown,
  version: SpecVersion = '1.0',
): Expression | undefined {
  if (context === undefined) return undefined;
  if (typeof context !== 'string') {
    throw new CriterionError(
      'EXPRESSION_INVALID',
      'context must be a runtime expression (a string)',
      0,
      {
        field: 'context',
      },
    );
  }
  try {
    return parseExpression(context, version);
  } catch (error) {
    if (error instanceof ExpressionError) {
      throw new CriterionError(
        'EXPRESSION_INVALID',
        `invalid context: ${error.message}`,
        error.offset,
        {
          field: 'context',
          expressionCode: error.code,
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** The context's value, or the failure reason when it is missing or `null`. */
export function contextValue(
  context: Expression,
  ctx: RuntimeContext,
): { readonly value: unknown } | { readonly reason: string } {
  const resolution = resolveExpression(context, ctx);
  if (!resolution.found)
    return { reason: `context ${context.text} is undefined (${resolution.why})` };
  if (resolution.value === null) return { reason: `context ${context.text} is null` };
  return { value: resolution.value };
}
