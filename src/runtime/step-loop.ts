import {
  parameterSelectors,
  type CompiledAction,
  type CompiledParameter,
  type CompiledStep,
} from './compile.js';
import type { RuntimeContext } from '../expressions/context.js';
import { workflowInputs } from './evaluate-request.js';
import { calleeInputs, inputsOrNone } from './inputs.js';
import { decide, type Decision } from './next.js';
import { retryDelay } from './pacing.js';
import type { RunResources } from './resources.js';
import { findWorkflow } from './select-workflow.js';
import type { WorkflowState } from './state.js';
import type { RunNested, StepRunner } from './step-runner.js';

/** How a workflow's steps ended: the workflow ends, or hands over to another (a transfer). */
export type StepsEnd = Extract<Decision, { type: 'end' | 'transfer' }>;

const ALL_DONE: StepsEnd = { type: 'end', success: true };

/**
 * A workflow's steps, from its position on: each step's outcome goes to `decide` (next.ts),
 * and the loop carries out the move it returns, updating the position.
 */
export class StepLoop {
  readonly #run: RunResources;
  readonly #steps: StepRunner;
  readonly #nested: RunNested;

  constructor(run: RunResources, steps: StepRunner, nested: RunNested) {
    this.#run = run;
    this.#steps = steps;
    this.#nested = nested;
  }

  async run(state: WorkflowState): Promise<StepsEnd> {
    const { steps } = state.compiled;
    while (state.position.index < steps.length) {
      const step = steps[state.position.index] as CompiledStep;
      const decision = await this.#visit(state, step);
      if (decision.type === 'continue')
        state.position = { index: state.position.index + 1, enteredByGoto: false };
      else if (decision.type === 'goto')
        state.position = { index: decision.index, enteredByGoto: true };
      else return decision;
    }
    return ALL_DONE;
  }

  /**
   * One visit of a step: it runs, and runs again for each retry its actions ask for; any other
   * move leaves it (POSITIONS §6.7). The retries used are counted per visit.
   */
  async #visit(
    state: WorkflowState,
    step: CompiledStep,
  ): Promise<Exclude<Decision, { type: 'retry' }>> {
    let outcome = await this.#steps.execute(state, step, 1, state.position.enteredByGoto);
    let retries: Map<string, number> | undefined;
    for (let attempt = 2; ; attempt += 1) {
      const decision = await decide(
        step,
        outcome,
        retries,
        state.compiled.stepIndex,
        this.#run.evaluator(step.step.stepId),
      );
      if (decision.type !== 'continue' && decision.action)
        this.#emitAction(state, step, decision.action, outcome.success);
      if (decision.type === 'transfer') return this.#withInputs(decision, step, outcome.context);
      if (decision.type !== 'retry') return decision;
      const { action, retry } = decision;
      (retries ??= new Map()).set(action.name, retry);
      await this.#runRetryTarget(state, step, action, outcome.context);
      const delayMs = retryDelay(action, outcome.retryAfterMs, this.#run.limits);
      const { workflowId } = state.compiled.workflow;
      const stepId = step.step.stepId;
      this.#run.emit({
        type: 'retry-wait',
        workflowId,
        stepId,
        action: action.name,
        retry,
        delayMs,
      });
      await this.#run.wait(delayMs);
      outcome = await this.#steps.execute(state, step, attempt, false);
    }
  }

  #emitAction(
    state: WorkflowState,
    step: CompiledStep,
    action: CompiledAction,
    succeeded: boolean,
  ): void {
    const target =
      action.stepId !== undefined
        ? { target: action.stepId, targetKind: 'step' as const }
        : action.workflowId !== undefined
          ? { target: action.workflowId, targetKind: 'workflow' as const }
          : {};
    this.#run.emit({
      type: 'action',
      workflowId: state.compiled.workflow.workflowId,
      stepId: step.step.stepId,
      action: action.name,
      actionType: action.type,
      trigger: succeeded ? 'success' : 'failure',
      ...target,
    });
  }

  async #runRetryTarget(
    state: WorkflowState,
    step: CompiledStep,
    action: CompiledAction,
    context: RuntimeContext,
  ): Promise<void> {
    // §Failure Action Object retry: "the reference is executed and the context is returned".
    if (action.stepId !== undefined) {
      const index = state.compiled.stepIndex.get(action.stepId);
      const target = index === undefined ? undefined : state.compiled.steps[index];
      if (target) await this.#steps.execute(state, target, 1, false);
    } else if (action.workflowId !== undefined) {
      const location = findWorkflow(state.compiled.scope, action.workflowId);
      if (action.parameters === undefined) {
        await this.#nested(
          location,
          inputsOrNone(location.scope, location.index, state.inputs),
          state,
        );
        return;
      }
      // 1.1 action `parameters` are the target's inputs; inputs it refuses leave it not run
      // (its result is not the step's: the step itself runs again either way).
      const values = await this.#actionInputs(action.parameters, context, step);
      const prepared =
        values.kind === 'failure'
          ? { problem: values.message }
          : calleeInputs(location.scope, location.index, action.workflowId, values.inputs);
      if ('inputs' in prepared) await this.#nested(location, prepared.inputs, state);
      else
        this.#run.emit({
          type: 'warning',
          workflowId: state.compiled.workflow.workflowId,
          stepId: step.step.stepId,
          message: `retry action "${action.name}" did not run workflow "${action.workflowId}": ${prepared.problem}`,
        });
    }
  }

  /**
   * A transfer to a workflow with the 1.1 action `parameters` evaluated in the context of the
   * step's outcome; a parameter that cannot be evaluated ends the workflow instead.
   */
  async #withInputs(
    decision: Extract<Decision, { type: 'transfer' }>,
    step: CompiledStep,
    context: RuntimeContext,
  ): Promise<StepsEnd> {
    const { parameters } = decision.action;
    if (parameters === undefined) return decision;
    const values = await this.#actionInputs(parameters, context, step);
    if (values.kind === 'workflow') return { ...decision, inputs: values.inputs };
    const message = `action "${decision.action.name}" of step "${step.step.stepId}": ${values.message}`;
    return {
      type: 'end',
      action: decision.action,
      success: false,
      error: { code: values.code, message, stepId: step.step.stepId },
    };
  }

  /** An action's `parameters` as the inputs of the workflow it names (1.1 Selector Objects first). */
  async #actionInputs(
    parameters: readonly CompiledParameter[],
    context: RuntimeContext,
    step: CompiledStep,
  ): Promise<ReturnType<typeof workflowInputs>> {
    const selectors = parameterSelectors(parameters);
    if (selectors.length === 0) return workflowInputs(parameters, context);
    const selected = await this.#run.requestSelections(selectors, context, step.step.stepId);
    if ('reason' in selected)
      return {
        kind: 'failure',
        code: 'VALUE_UNRESOLVED',
        message: `a selector could not be evaluated: ${selected.reason}`,
      };
    return workflowInputs(parameters, context, selected);
  }
}
