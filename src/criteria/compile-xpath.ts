/**
 * Compiling an `xpath` criterion (see xpath.ts for the engine and the version position). A
 * condition without `{$…}` is syntax-checked now; one with substitutions at run time, in the
 * bounded worker that also parses the XML and evaluates it (criterion-task.ts): an XPath loop or
 * a hostile document has no bound of its own.
 */
import { hasExpressions, type Expression, type RuntimeContext } from '../expressions/index.js';
import { kindOf } from '../expressions/evaluate-expression.js';
import type { CompiledCriterion, CriterionNote, CriterionResult } from './compiled-criterion.js';
import { contextValue } from './criterion-context.js';
import type { CriterionTask } from './criterion-task.js';
import type { SpecVersion } from '../document/constants.js';
import { embeddedExpressions, parseCondition, substitute } from './substitute.js';
import { checkXPathSyntax } from './xpath.js';

export function compileXPathCriterion(
  condition: string,
  context: Expression,
  version: string,
  notes: readonly CriterionNote[],
  specVersion: SpecVersion,
): CompiledCriterion {
  const parts = parseCondition(condition, specVersion);
  const dynamic = hasExpressions(parts);
  if (!dynamic) checkXPathSyntax(condition);
  const run = (ctx: RuntimeContext): CriterionResult | CriterionTask => {
    const subject = contextValue(context, ctx);
    if ('reason' in subject) return { passed: false, reason: subject.reason };
    if (typeof subject.value !== 'string') {
      return {
        passed: false,
        reason: `context ${context.text} is ${kindOf(subject.value)}, not XML text`,
      };
    }
    let expression = condition;
    if (dynamic) {
      const built = substitute(parts, ctx);
      if ('reason' in built) return { passed: false, reason: built.reason };
      expression = built.text;
    }
    return {
      kind: 'xpath',
      expression,
      xml: subject.value,
      context: context.text,
      checkSyntax: dynamic,
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
