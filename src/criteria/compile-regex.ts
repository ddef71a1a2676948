/**
 * Compiling a `regex` criterion (see regex.ts for the dialect). A pattern without `{$…}` is
 * compiled now, so a bad pattern is a compile error; one with substitutions is compiled per
 * distinct substituted text at run time, and a bad result fails the criterion with a reason.
 * The match itself is never run here: a backtracking pattern can take exponential time, so it is
 * a task for the bounded worker (criterion-task.ts), which runs the same V8 engine.
 */
import { hasExpressions, type Expression, type RuntimeContext } from '../expressions/index.js';
import type { CompiledCriterion, CriterionNote, CriterionResult } from './compiled-criterion.js';
import { contextValue } from './criterion-context.js';
import type { CriterionTask } from './criterion-task.js';
import { formatValue, shorten } from './format.js';
import { compileRegex, regexSubject } from './regex.js';
import { CompileCache } from './compile-cache.js';
import type { SpecVersion } from '../document/constants.js';
import { embeddedExpressions, parseCondition, substitute } from './substitute.js';

export function compileRegexCriterion(
  condition: string,
  context: Expression,
  notes: readonly CriterionNote[],
  specVersion: SpecVersion,
): CompiledCriterion {
  const parts = parseCondition(condition, specVersion);
  const fixed = hasExpressions(parts) ? undefined : compileRegex(condition);
  // Patterns built at run time are compiled here too, so a bad one fails with its message.
  const cache = new CompileCache<RegExp | string>();
  const run = (ctx: RuntimeContext): CriterionResult | CriterionTask => {
    const subject = contextValue(context, ctx);
    if ('reason' in subject) return { passed: false, reason: subject.reason };
    const text = regexSubject(subject.value);
    if (text === undefined)
      return { passed: false, reason: `context ${context.text} cannot be matched as text` };
    let pattern = condition;
    if (fixed === undefined) {
      const built = substitute(parts, ctx);
      if ('reason' in built) return { passed: false, reason: built.reason };
      pattern = built.text;
      const compiled = cache.get(built.text, (pattern) => {
        try {
          return compileRegex(pattern);
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      });
      if (typeof compiled === 'string') return { passed: false, reason: compiled };
    }
    return {
      kind: 'regex',
      pattern,
      subject: text,
      // regexSubject gives an object's JSON text, which is what formatValue shows (shortened).
      shown: typeof subject.value === 'object' ? shorten(text) : formatValue(subject.value),
      context: context.text,
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
