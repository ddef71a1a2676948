/**
 * `parseExpression`: a string that must be exactly one runtime expression — the fields typed
 * `{expression}` in Arazzo 1.0.1 (Criterion `context`, Reusable `reference`, step and workflow
 * `outputs` values, `$sourceDescriptions.…` in `operationId`/`workflowId`/`dependsOn`).
 */
import type { SpecVersion } from '../document/constants.js';
import type { Expression } from './ast.js';
import { ExpressionError } from './errors.js';
import { scanExpression } from './scan.js';

/** `version` chooses the grammar: 1.1 adds `$message` and `$self` (scan.ts). */
export function parseExpression(text: string, version: SpecVersion = '1.0'): Expression {
  if (text.length === 0) throw new ExpressionError('EMPTY', 'the expression is empty', 0);
  const { expression, end } = scanExpression(text, 0, 'whole', version);
  if (end !== text.length) {
    throw new ExpressionError(
      'TRAILING_CHARACTERS',
      `unexpected "${text.charAt(end)}" after the expression ${expression.text}`,
      end,
    );
  }
  return expression;
}
