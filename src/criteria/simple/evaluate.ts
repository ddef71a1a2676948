/**
 * Evaluating a parsed simple condition, and saying why it failed. The fast path computes only the
 * value; the reason is built (by evaluating again, which is pure) only when the condition failed.
 *
 * Logical operators use three-valued (Kleene) logic over `truth()` (see compare.ts): `&&` is false
 * if either side is false, `||` is true if either side is true, otherwise unknown propagates; a
 * condition passes only when the result is `true` (Arazzo 1.1 §Condition Evaluation).
 */
import { resolveExpression, type RuntimeContext } from '../../expressions/index.js';
import type { CriterionResult } from '../compiled-criterion.js';
import { formatValue } from '../format.js';
import { compareValues, truth, type Truth } from './compare.js';
import type { SimpleNode } from './parse.js';

const PASSED: CriterionResult = { passed: true };

export function runSimpleCondition(
  node: SimpleNode,
  source: string,
  ctx: RuntimeContext,
): CriterionResult {
  if (truth(evaluate(node, ctx)) === true) return PASSED;
  return { passed: false, reason: explain(node, source, ctx) };
}

/** The value of a node: an operand's value, or a Truth for operators. */
export function evaluate(node: SimpleNode, ctx: RuntimeContext): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'expression': {
      const resolution = resolveExpression(node.expression, ctx);
      return resolution.found ? resolution.value : undefined;
    }
    case 'not': {
      const operand = truth(evaluate(node.operand, ctx));
      return operand === undefined ? undefined : !operand;
    }
    case 'compare':
      return compareValues(node.operator, evaluate(node.left, ctx), evaluate(node.right, ctx));
    case 'and': {
      const left = truth(evaluate(node.left, ctx));
      if (left === false) return false;
      const right = truth(evaluate(node.right, ctx));
      if (right === false) return false;
      return left === true && right === true ? true : undefined;
    }
    case 'or': {
      const left = truth(evaluate(node.left, ctx));
      if (left === true) return true;
      const right = truth(evaluate(node.right, ctx));
      if (right === true) return true;
      return left === false && right === false ? false : undefined;
    }
  }
}

/** One line explaining why `node` did not evaluate to `true`. */
function explain(node: SimpleNode, source: string, ctx: RuntimeContext): string {
  const text = (n: SimpleNode): string => source.slice(n.start, n.end);
  switch (node.kind) {
    case 'literal':
      return `${text(node)} is not true`;
    case 'expression':
      return describeOperand(node, source, ctx, true);
    case 'not': {
      const operand: Truth = truth(evaluate(node.operand, ctx));
      return operand === true
        ? `${text(node)}, but ${text(node.operand)} is true`
        : `${text(node)} cannot be decided: ${describeOperand(node.operand, source, ctx, true)}`;
    }
    case 'compare': {
      const operands = [node.left, node.right].filter((side) => side.kind !== 'literal');
      if (operands.length === 0) return `${text(node)} is false`;
      const described = operands
        .map((side) => describeOperand(side, source, ctx, false))
        .join(' and ');
      return `${text(node)}, but ${described}`;
    }
    case 'and':
      return truth(evaluate(node.left, ctx)) === true
        ? explain(node.right, source, ctx)
        : explain(node.left, source, ctx);
    case 'or':
      return `no alternative of ${text(node)} holds: ${explain(node.left, source, ctx)}; ${explain(node.right, source, ctx)}`;
  }
}

/** `$statusCode is 404`, `$response.body#/a is undefined (the response has no body)`. */
function describeOperand(
  node: SimpleNode,
  source: string,
  ctx: RuntimeContext,
  asCondition: boolean,
): string {
  const text = source.slice(node.start, node.end);
  if (node.kind === 'expression') {
    const resolution = resolveExpression(node.expression, ctx);
    if (!resolution.found) return `${text} is undefined (${resolution.why})`;
    const shown = `${text} is ${formatValue(resolution.value)}`;
    return asCondition && typeof resolution.value !== 'boolean' && resolution.value !== null
      ? `${shown}, not a boolean`
      : shown;
  }
  if (node.kind === 'literal') return text;
  const value = evaluate(node, ctx);
  if (value === undefined) return `${text} cannot be decided (${explain(node, source, ctx)})`;
  return `${text} is ${formatValue(value)}`;
}
