import type { RuntimeContext } from '../expressions/context.js';
import type { CriterionEvaluator } from './actions.js';
import type { CompiledStep } from './compile.js';

/** Whether a step succeeded, and why not, one line per reason. */
export interface Verdict {
  readonly success: boolean;
  readonly reasons: string[];
}

/**
 * §Step Object successCriteria: all must pass. Without any, an operation step succeeds on a 2xx
 * response (POSITIONS §6.3: HTTP's own meaning of success; a 500 must not count as success)
 * and a workflow step (`statusCode` undefined) when its workflow succeeded. Both step kinds
 * come here: the criteria are evaluated in this one place, by the run's bounded `evaluate`.
 */
export async function checkSuccess(
  step: CompiledStep,
  context: RuntimeContext,
  statusCode: number | undefined,
  evaluate: CriterionEvaluator,
): Promise<Verdict> {
  if (step.successCriteria.length === 0) {
    const ok = statusCode === undefined || (statusCode >= 200 && statusCode < 300);
    return {
      success: ok,
      reasons: ok ? [] : [`status ${statusCode} is not 2xx (the step has no successCriteria)`],
    };
  }
  const reasons: string[] = [];
  for (const criterion of step.successCriteria) {
    const result = await evaluate(criterion, context);
    if (!result.passed) reasons.push(result.reason ?? `${criterion.condition} did not hold`);
  }
  return { success: reasons.length === 0, reasons };
}
