import { selectAction, type CriterionEvaluator } from './actions.js';
import type { CompiledAction, CompiledStep } from './compile.js';
import type { RunError } from './events.js';
import type { StepOutcome } from './state.js';

/**
 * The runner's next move after a step execution. `continue`: the next step in order. `end`:
 * the workflow ends (successfully or not). `goto`: the step at `index`. `retry`: the same step
 * again, as retry number `retry` of `action`. `transfer`: the workflow ends with the result of
 * `workflowId` (§Success Action Object goto workflowId: one way, no return).
 */
export type Decision =
  | { readonly type: 'continue' }
  | {
      readonly type: 'end';
      readonly action?: CompiledAction;
      readonly success: boolean;
      readonly error?: RunError;
    }
  | { readonly type: 'goto'; readonly action: CompiledAction; readonly index: number }
  | { readonly type: 'retry'; readonly action: CompiledAction; readonly retry: number }
  | {
      readonly type: 'transfer';
      readonly action: CompiledAction;
      readonly workflowId: string;
      /** The 1.1 action `parameters`, evaluated (step-loop.ts): the target's inputs. */
      readonly inputs?: Record<string, unknown>;
    };

/**
 * Decides the next move from a step's outcome, the retries this visit of the step has used
 * (per action name) and the workflow's step positions. It runs nothing and changes nothing
 * (as xstate's `transition`; the runner does what it says): the one place actions are
 * selected (§Step Object onSuccess/onFailure, through `selectAction`).
 */
export async function decide(
  step: CompiledStep,
  outcome: Pick<StepOutcome, 'success' | 'context' | 'reasons' | 'error'>,
  retriesUsed: ReadonlyMap<string, number> | undefined,
  stepIndex: ReadonlyMap<string, number>,
  evaluate: CriterionEvaluator,
): Promise<Decision> {
  const stepId = step.step.stepId;
  const actions = outcome.success ? step.onSuccess : step.onFailure;
  const action = await selectAction(actions, outcome.context, retriesUsed, evaluate);
  if (action === undefined) {
    if (outcome.success) return { type: 'continue' };
    const message = `step "${stepId}" failed: ${outcome.reasons.join('; ') || 'no reason given'}`;
    const error = { code: outcome.error?.code ?? 'STEP_FAILED', message, stepId };
    return { type: 'end', success: false, error };
  }
  if (action.type === 'retry')
    return { type: 'retry', action, retry: (retriesUsed?.get(action.name) ?? 0) + 1 };
  if (action.type === 'end') {
    if (outcome.success) return { type: 'end', action, success: true };
    const message = `step "${stepId}" failed and action "${action.name}" ended the workflow: ${outcome.reasons.join('; ')}`;
    return { type: 'end', action, success: false, error: { code: 'STEP_FAILED', message, stepId } };
  }
  // goto (a retry never reaches here: exhausted retries are skipped by selectAction).
  if (action.stepId !== undefined) {
    const index = stepIndex.get(action.stepId);
    if (index !== undefined) return { type: 'goto', action, index };
    const message = `action "${action.name}" of step "${stepId}" goes to unknown step "${action.stepId}"`;
    return {
      type: 'end',
      action,
      success: false,
      error: { code: 'STEP_NOT_FOUND', message, stepId },
    };
  }
  return { type: 'transfer', action, workflowId: action.workflowId ?? '' };
}
