import { evaluateCriterion } from '../criteria/index.js';
import type { RuntimeContext } from '../expressions/context.js';
import type { CompiledStep } from './compile.js';

/** Whether a step succeeded, and why not, one line per reason. */
export interface Verdict {
  readonly success: boolean;
  readonly reasons: string[];
}

/**
 * §Step Object successCriteria: all must pass. Without any, an operation step succeeds on a 2xx
 * response (SPEC-NOTES §6.3: HTTP's own meaning of success; a 500 must not count as success)
 * and a workflow step (`statusCode` undefined) when its workflow succeeded. Both step kinds
 * come here: the criteria are evaluated in this one place. A promise, so that evaluation may
 * become asynchronous (issue 21: bounded, in a worker) without touching its callers.
 */
export function checkSuccess(
  step: CompiledStep,
  context: RuntimeContext,
  statusCode: number | undefined,
): Promise<Verdict> {
  if (step.successCriteria.length === 0) {
    const ok = statusCode === undefined || (statusCode >= 200 && statusCode < 300);
    return Promise.resolve({
      success: ok,
      reasons: ok ? [] : [`status ${statusCode} is not 2xx (the step has no successCriteria)`],
    });
  }
  const reasons: string[] = [];
  for (const criterion of step.successCriteria) {
    const result = evaluateCriterion(criterion, context);
    if (!result.passed) reasons.push(result.reason ?? `${criterion.condition} did not hold`);
  }
  return Promise.resolve({ success: reasons.length === 0, reasons });
}
