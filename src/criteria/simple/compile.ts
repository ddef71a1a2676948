/**
 * Compiling a simple condition: parse once, collect notes for `validate`, return the evaluator.
 */
import type { SpecVersion } from '../../document/constants.js';
import { pointerForm, type Expression } from '../../expressions/index.js';
import type { CompiledCriterion, CriterionNote } from '../compiled-criterion.js';
import { runSimpleCondition } from './evaluate.js';
import { expressionsOf, parseSimpleCondition, type SimpleNode } from './parse.js';

export function compileSimple(
  condition: string,
  context: Expression | undefined,
  notes: readonly CriterionNote[],
  version: SpecVersion,
): CompiledCriterion {
  const ast = parseSimpleCondition(condition, version);
  const operands = expressionsOf(ast);
  return {
    kind: 'simple',
    condition,
    notes: [...notes, ...conditionNotes(ast, condition)],
    ...(context === undefined ? {} : { context }),
    expressions: context === undefined ? operands : [context, ...operands],
    run: (ctx) => runSimpleCondition(ast, condition, ctx),
  };
}

function conditionNotes(ast: SimpleNode, condition: string): CriterionNote[] {
  const notes: CriterionNote[] = [];
  const doubleQuoted: { start: number; end: number; value: string }[] = [];
  visit(ast, (node) => {
    if (node.kind === 'literal' && node.quote === '"' && typeof node.value === 'string') {
      doubleQuoted.push({ start: node.start, end: node.end, value: node.value });
    }
    if (node.kind === 'expression' && node.expression.accessors !== undefined) {
      const expression = node.expression;
      if (expression.accessors?.[0] === undefined) return;
      const replacement = pointerForm(expression);
      notes.push({
        code: 'DOT_NAVIGATION',
        message: `${expression.text} navigates with "." / "[]"; the Arazzo form is a JSON pointer: ${replacement}`,
        offset: node.start,
        rewrite: condition.slice(0, node.start) + replacement + condition.slice(node.end),
      });
    }
  });
  if (doubleQuoted.length > 0) {
    let rewrite = '';
    let at = 0;
    for (const literal of doubleQuoted) {
      rewrite += condition.slice(at, literal.start) + `'${literal.value.replaceAll("'", "''")}'`;
      at = literal.end;
    }
    rewrite += condition.slice(at);
    for (const literal of doubleQuoted) {
      notes.push({
        code: 'DOUBLE_QUOTED_STRING',
        message: `strings in simple conditions use single quotes ("Strings MUST use single quotes"): '${literal.value.replaceAll("'", "''")}'`,
        offset: literal.start,
        rewrite,
      });
    }
  }
  return notes.sort((a, b) => a.offset - b.offset);
}

function visit(node: SimpleNode, f: (node: SimpleNode) => void): void {
  f(node);
  switch (node.kind) {
    case 'not':
      visit(node.operand, f);
      break;
    case 'compare':
    case 'and':
    case 'or':
      visit(node.left, f);
      visit(node.right, f);
      break;
    default:
      break;
  }
}
