/**
 * `evaluateCriterion`: pass/fail with a reason. Never rejects: an unexpected error inside an engine
 * fails the criterion with that error as the reason (1.1 §Evaluation Errors: "the condition MUST
 * evaluate to fail, and implementations SHOULD log or report the error").
 *
 * Conditions whose cost is bounded by their own size are evaluated here, on the caller's thread:
 * every simple condition, and JSONPath singular queries alone or compared with a literal
 * (jsonpath-plan.ts) — a poll's `$.status == "running"` pays no thread round trip. Every other
 * regex, JSONPath and XPath condition is evaluated in the bounded worker (condition-worker.ts):
 * within `timeoutMs` (default 1 s) and `memoryMiB` of heap (default 256 MiB), and stopped at once
 * when `signal` aborts; exceeding a bound fails the criterion with a line that names it.
 */
import type { RuntimeContext } from '../expressions/index.js';
import type { CompiledCriterion, CriterionResult } from './compiled-criterion.js';
import { evaluateTask, type ConditionBounds } from './condition-worker.js';

export interface EvaluateOptions extends ConditionBounds {
  /** Ends an evaluation in progress (the run's --timeout, SIGINT, SIGTERM); the criterion fails. */
  readonly signal?: AbortSignal;
}

export async function evaluateCriterion(
  criterion: CompiledCriterion,
  ctx: RuntimeContext,
  options: EvaluateOptions = {},
): Promise<CriterionResult> {
  let prepared;
  try {
    prepared = criterion.run(ctx);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { passed: false, reason: `${criterion.condition} could not be evaluated: ${detail}` };
  }
  if ('passed' in prepared) return prepared;
  return evaluateTask(prepared, options, options.signal);
}
