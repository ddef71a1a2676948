/**
 * Compiling an `xpath` criterion (see xpath.ts for the engine and the version position). A
 * condition without `{$…}` is syntax-checked now; one with substitutions at run time.
 */
import { hasExpressions, type Expression, type RuntimeContext } from '../expressions/index.js';
import { kindOf } from '../expressions/evaluate-expression.js';
import type { CompiledCriterion, CriterionNote, CriterionResult } from './compiled-criterion.js';
import { contextValue } from './criterion-context.js';
import { CompileCache, embeddedExpressions, parseCondition, substitute } from './substitute.js';
import { checkXPathSyntax, evaluateXPath } from './xpath.js';

export function compileXPathCriterion(
  condition: string,
  context: Expression,
  version: string,
  notes: readonly CriterionNote[],
): CompiledCriterion {
  const parts = parseCondition(condition);
  const dynamic = hasExpressions(parts);
  if (!dynamic) checkXPathSyntax(condition);
  const checked = new CompileCache<string | true>();
  const run = (ctx: RuntimeContext): CriterionResult => {
    const subject = contextValue(context, ctx);
    if ('reason' in subject) return { passed: false, reason: subject.reason };
    if (typeof subject.value !== 'string') {
      return {
        passed: false,
        reason: `context ${context.text} is ${kindOf(subject.value)}, not XML text`,
      };
    }
    let text = condition;
    if (dynamic) {
      const built = substitute(parts, ctx);
      if ('reason' in built) return { passed: false, reason: built.reason };
      text = built.text;
      const syntax = checked.get(text, (expression) => {
        try {
          checkXPathSyntax(expression);
          return true;
        } catch (error) {
          return `${expression}: ${error instanceof Error ? error.message : String(error)}`;
        }
      });
      if (syntax !== true) return { passed: false, reason: syntax };
    }
    const outcome = evaluateXPath(text, subject.value);
    if ('error' in outcome) return { passed: false, reason: `${text}: ${outcome.error}` };
    return outcome.value
      ? { passed: true }
      : {
          passed: false,
          reason: `${text} is false (its effective boolean value) for context ${context.text}`,
        };
  };
  return {
    kind: 'xpath',
    condition,
    notes,
    context,
    version,
    expressions: [context, ...embeddedExpressions(parts)],
    run,
  };
}
