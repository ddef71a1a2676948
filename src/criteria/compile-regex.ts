/**
 * Compiling a `regex` criterion (see regex.ts for the dialect). A pattern without `{$…}` is
 * compiled now, so a bad pattern is a compile error; one with substitutions is compiled per
 * distinct substituted text at run time, and a bad result fails the criterion with a reason.
 */
import { hasExpressions, type Expression, type RuntimeContext } from '../expressions/index.js';
import type { CompiledCriterion, CriterionNote, CriterionResult } from './compiled-criterion.js';
import { contextValue } from './criterion-context.js';
import { formatValue } from './format.js';
import { compileRegex, regexSubject } from './regex.js';
import { CompileCache, embeddedExpressions, parseCondition, substitute } from './substitute.js';

export function compileRegexCriterion(
  condition: string,
  context: Expression,
  notes: readonly CriterionNote[],
): CompiledCriterion {
  const parts = parseCondition(condition);
  const fixed = hasExpressions(parts) ? undefined : compileRegex(condition);
  const cache = new CompileCache<RegExp | string>();
  const run = (ctx: RuntimeContext): CriterionResult => {
    const subject = contextValue(context, ctx);
    if ('reason' in subject) return { passed: false, reason: subject.reason };
    const text = regexSubject(subject.value);
    if (text === undefined)
      return { passed: false, reason: `context ${context.text} cannot be matched as text` };
    let regex = fixed;
    if (regex === undefined) {
      const built = substitute(parts, ctx);
      if ('reason' in built) return { passed: false, reason: built.reason };
      const compiled = cache.get(built.text, (pattern) => {
        try {
          return compileRegex(pattern);
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      });
      if (typeof compiled === 'string') return { passed: false, reason: compiled };
      regex = compiled;
    }
    if (regex.test(text)) return { passed: true };
    return {
      passed: false,
      reason: `context ${context.text} is ${formatValue(subject.value)}, which does not match /${regex.source}/u`,
    };
  };
  return {
    kind: 'regex',
    condition,
    notes,
    context,
    expressions: [context, ...embeddedExpressions(parts)],
    run,
  };
}
