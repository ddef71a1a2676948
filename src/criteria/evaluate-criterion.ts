/**
 * `evaluateCriterion`: pass/fail with a reason. Never throws: an unexpected error inside an engine
 * fails the criterion with that error as the reason (1.1 §Evaluation Errors: "the condition MUST
 * evaluate to fail, and implementations SHOULD log or report the error").
 */
import type { RuntimeContext } from '../expressions/index.js';
import type { CompiledCriterion, CriterionResult } from './compiled-criterion.js';

export function evaluateCriterion(
  criterion: CompiledCriterion,
  ctx: RuntimeContext,
): CriterionResult {
  try {
    return criterion.run(ctx);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { passed: false, reason: `${criterion.condition} could not be evaluated: ${detail}` };
  }
}
